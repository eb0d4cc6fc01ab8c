// Shoal's dashboard: what a page does with JavaScript on (it reads without it). No dependencies.
'use strict';

(function () {
  const TOKEN = 'shoal.apiToken';

  // Copy buttons: the magnet link or the .torrent URL to the clipboard.
  document.querySelectorAll('button.copy').forEach(function (button) {
    button.addEventListener('click', function () {
      const text = button.getAttribute('data-copy');
      const done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { select(button); });
      } else {
        select(button);
      }
    });
  });

  function select(button) {
    const input = button.parentElement.querySelector('input');
    input.focus();
    input.select();
    document.execCommand('copy');
    button.textContent = 'Copied';
  }

  // The swarm panel refreshes itself: the server renders it, the page swaps it in.
  const panel = document.getElementById('swarm-panel');
  if (panel) {
    setInterval(function () {
      if (document.hidden) {
        return;
      }
      fetch(panel.getAttribute('data-src'), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { panel.innerHTML = html; })
        .catch(function () { /* keep what is shown; the next tick tries again */ });
    }, 5000);
  }

  // Upload: drag-and-drop or a file picker, one file PUT, several POSTed as one multi-file artifact.
  const upload = document.getElementById('upload');
  if (!upload) {
    return;
  }
  upload.hidden = false;
  const drop = document.getElementById('drop');
  const picker = document.getElementById('files');
  const tokenInput = document.getElementById('token');
  const result = document.getElementById('upload-result');
  const progress = document.getElementById('upload-progress');
  const bar = document.getElementById('upload-bar');
  const text = document.getElementById('upload-text');
  let busy = false;

  tokenInput.value = sessionStorage.getItem(TOKEN) || '';
  tokenInput.addEventListener('change', function () { sessionStorage.setItem(TOKEN, tokenInput.value.trim()); });
  document.getElementById('token-form').addEventListener('submit', function (e) {
    e.preventDefault();
    sessionStorage.setItem(TOKEN, tokenInput.value.trim());
  });
  document.getElementById('forget-token').addEventListener('click', function () {
    sessionStorage.removeItem(TOKEN);
    tokenInput.value = '';
  });

  ['dragenter', 'dragover'].forEach(function (type) {
    drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) { send(e.dataTransfer.files); });
  picker.addEventListener('change', function () { send(picker.files); picker.value = ''; });

  function send(files) {
    if (busy || !files || files.length === 0) {
      return;
    }
    const token = tokenInput.value.trim();
    if (!token) {
      say('Enter the API token first (./shoal up prints it).', true);
      tokenInput.focus();
      return;
    }
    sessionStorage.setItem(TOKEN, token);
    const name = document.getElementById('upload-name').value.trim();
    const params = new URLSearchParams();
    const format = document.getElementById('upload-format').value;
    if (format) {
      params.set('format', format);
    }
    if (document.getElementById('upload-private').checked) {
      params.set('private', 'true');
    }
    const xhr = new XMLHttpRequest();
    let body;
    let total = 0;
    if (files.length === 1) {
      total = files[0].size;
      xhr.open('PUT', '/api/v1/artifacts/' + encodeURIComponent(name || files[0].name) + query(params));
      body = files[0];
    } else {
      if (!name) {
        say('Several files make one artifact: give it a name.', true);
        return;
      }
      params.set('name', name);
      body = new FormData();
      Array.prototype.forEach.call(files, function (f) { total += f.size; body.append('file', f, f.name); });
      xhr.open('POST', '/api/v1/artifacts' + query(params));
    }
    xhr.setRequestHeader('Authorization', 'Bearer ' + token);
    const started = performance.now();
    busy = true;
    progress.hidden = false;
    bar.value = 0;
    say('', false);
    xhr.upload.addEventListener('progress', function (e) {
      const sent = e.loaded;
      const of = e.lengthComputable ? e.total : total;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? sent / seconds : 0;
      bar.value = of > 0 ? Math.min(100, sent * 100 / of) : 0;
      text.textContent = Math.floor(bar.value) + '%  ' + size(sent) + ' / ' + size(of) + '  ' + (rate / 1e6).toFixed(1) + ' MB/s'
        + (rate > 0 && of > sent ? '  ETA ' + Math.ceil((of - sent) / rate) + ' s' : '');
    });
    xhr.addEventListener('load', function () {
      busy = false;
      let answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (ignored) { /* an answer without JSON */ }
      if (xhr.status === 201 || xhr.status === 200) {
        bar.value = 100;
        text.textContent = '100%  ' + size(total);
        say('Published ' + answer.name + '. ', false, '/artifacts/' + encodeURIComponent(answer.name));
        setTimeout(function () { location.reload(); }, 1500);
      } else if (xhr.status === 202) {
        say('Stored; the torrent will be published shortly.', false);
        setTimeout(function () { location.reload(); }, 3000);
      } else {
        say('Upload refused (' + xhr.status + '): ' + (answer.detail || xhr.statusText), true);
      }
    });
    xhr.addEventListener('error', function () {
      busy = false;
      say('The upload failed: the connection to the gateway broke.', true);
    });
    xhr.send(body);
  }

  function query(params) {
    const q = params.toString();
    return q ? '?' + q : '';
  }

  function say(message, failed, link) {
    result.textContent = message;
    result.className = failed ? 'problem' : '';
    if (link) {
      const a = document.createElement('a');
      a.href = link;
      a.textContent = 'Open it';
      result.appendChild(a);
    }
  }

  function size(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let u = 0;
    while (n >= 1024 && u < units.length - 1) {
      n /= 1024;
      u++;
    }
    return (u === 0 ? n : n.toFixed(1)) + ' ' + units[u];
  }
}());
