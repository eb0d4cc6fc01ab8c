package io.shoal.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards, v1.32), baseline and
 * restricted, as Pod Security admission applies them to a pod template: what a namespace labelled
 * {@code pod-security.kubernetes.io/enforce} lets in. Each rule returns what it found, in words an operator
 * recognises from admission's own messages.
 */
final class PodSecurityStandards {

    enum Level {
        PRIVILEGED, BASELINE, RESTRICTED;

        static Level of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /** Baseline: capabilities a container may add. */
    private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    /** Baseline: the safe sysctls. */
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");
    /** Restricted: the only volume types. */
    private static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");

    private PodSecurityStandards() {
    }

    /** What keeps this pod template out of a namespace enforcing {@code level}; empty when admitted. */
    static List<String> violations(JsonNode template, Level level) {
        List<String> found = new ArrayList<>();
        if (level == Level.PRIVILEGED) {
            return found;
        }
        JsonNode pod = template.path("spec");
        List<JsonNode> containers = new ArrayList<>();
        for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
            pod.path(field).forEach(containers::add);
        }
        baseline(template, pod, containers, found);
        if (level == Level.RESTRICTED) {
            restricted(pod, containers, found);
        }
        return found;
    }

    private static void baseline(JsonNode template, JsonNode pod, List<JsonNode> containers, List<String> found) {
        JsonNode podContext = pod.path("securityContext");
        if (podContext.path("windowsOptions").path("hostProcess").asBoolean(false)) {
            found.add("hostProcess (pod)");
        }
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(field).asBoolean(false)) {
                found.add(field + "=true");
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("hostPath")) {
                found.add("hostPath volume " + volume.path("name").asText());
            }
        }
        seLinux(podContext, "pod", found);
        if ("Unconfined".equals(podContext.path("seccompProfile").path("type").asText())) {
            found.add("seccompProfile Unconfined (pod)");
        }
        appArmor(podContext, "pod", found);
        for (JsonNode sysctl : podContext.path("sysctls")) {
            if (!SAFE_SYSCTLS.contains(sysctl.path("name").asText())) {
                found.add("unsafe sysctl " + sysctl.path("name").asText());
            }
        }
        template.path("metadata").path("annotations").fields().forEachRemaining(a -> {
            if (a.getKey().startsWith("container.apparmor.security.beta.kubernetes.io/")
                    && !a.getValue().asText().equals("runtime/default") && !a.getValue().asText().startsWith("localhost/")) {
                found.add("AppArmor profile " + a.getValue().asText());
            }
        });
        for (JsonNode container : containers) {
            String name = container.path("name").asText();
            JsonNode context = container.path("securityContext");
            if (context.path("windowsOptions").path("hostProcess").asBoolean(false)) {
                found.add("hostProcess (" + name + ")");
            }
            if (context.path("privileged").asBoolean(false)) {
                found.add("privileged container " + name);
            }
            for (JsonNode capability : context.path("capabilities").path("add")) {
                if (!BASELINE_CAPABILITIES.contains(capability.asText())) {
                    found.add("capability " + capability.asText() + " added to " + name);
                }
            }
            for (JsonNode port : container.path("ports")) {
                if (port.path("hostPort").asInt(0) != 0) {
                    found.add("hostPort " + port.path("hostPort").asInt() + " in " + name);
                }
            }
            seLinux(context, name, found);
            if (!context.path("procMount").asText("Default").equals("Default")) {
                found.add("procMount " + context.path("procMount").asText() + " in " + name);
            }
            if ("Unconfined".equals(context.path("seccompProfile").path("type").asText())) {
                found.add("seccompProfile Unconfined (" + name + ")");
            }
            appArmor(context, name, found);
        }
    }

    private static void seLinux(JsonNode context, String where, List<String> found) {
        JsonNode options = context.path("seLinuxOptions");
        if (!SELINUX_TYPES.contains(options.path("type").asText(""))) {
            found.add("seLinuxOptions.type " + options.path("type").asText() + " (" + where + ")");
        }
        if (options.has("user") || options.has("role")) {
            found.add("seLinuxOptions user/role set (" + where + ")");
        }
    }

    private static void appArmor(JsonNode context, String where, List<String> found) {
        String type = context.path("appArmorProfile").path("type").asText("");
        if (!type.isEmpty() && !type.equals("RuntimeDefault") && !type.equals("Localhost")) {
            found.add("appArmorProfile " + type + " (" + where + ")");
        }
    }

    private static void restricted(JsonNode pod, List<JsonNode> containers, List<String> found) {
        JsonNode podContext = pod.path("securityContext");
        for (JsonNode volume : pod.path("volumes")) {
            boolean allowed = false;
            var fields = volume.fieldNames();
            while (fields.hasNext()) {
                String field = fields.next();
                allowed |= RESTRICTED_VOLUMES.contains(field);
            }
            if (!allowed) {
                found.add("volume " + volume.path("name").asText() + " of a restricted type");
            }
        }
        boolean podNonRoot = podContext.path("runAsNonRoot").asBoolean(false);
        String podSeccomp = podContext.path("seccompProfile").path("type").asText("");
        if (podContext.path("runAsUser").asLong(-1) == 0) {
            found.add("runAsUser 0 (pod)");
        }
        for (JsonNode container : containers) {
            String name = container.path("name").asText();
            JsonNode context = container.path("securityContext");
            if (context.path("allowPrivilegeEscalation").asBoolean(true)) {
                found.add("allowPrivilegeEscalation != false (" + name + ")");
            }
            boolean nonRoot = context.has("runAsNonRoot") ? context.path("runAsNonRoot").asBoolean() : podNonRoot;
            if (!nonRoot) {
                found.add("runAsNonRoot != true (" + name + ")");
            }
            if (context.path("runAsUser").asLong(-1) == 0) {
                found.add("runAsUser 0 (" + name + ")");
            }
            String seccomp = context.path("seccompProfile").path("type").asText(podSeccomp);
            if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
                found.add("seccompProfile.type not RuntimeDefault or Localhost (" + name + ")");
            }
            boolean dropsAll = false;
            for (JsonNode capability : context.path("capabilities").path("drop")) {
                dropsAll |= capability.asText().equals("ALL");
            }
            if (!dropsAll) {
                found.add("capabilities do not drop ALL (" + name + ")");
            }
            for (JsonNode capability : context.path("capabilities").path("add")) {
                if (!capability.asText().equals("NET_BIND_SERVICE")) {
                    found.add("capability " + capability.asText() + " added (" + name + "; restricted: NET_BIND_SERVICE only)");
                }
            }
        }
    }
}
