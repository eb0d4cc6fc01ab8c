package io.shoal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArtifactUploadedEventTest {

    @Test
    void nul_in_comment_which_postgresql_refuses_is_caught_before() {
        assertEquals(Optional.of("comment holds U+0000 at 1 (expected: text, tabs and line breaks)"),
                ArtifactUploadedEvent.commentProblem("a\0b"));
        assertTrue(ArtifactUploadedEvent.commentProblem("bell\u0007").isPresent());
        assertTrue(ArtifactUploadedEvent.commentProblem("escape\u001b[31m").isPresent());
        assertTrue(ArtifactUploadedEvent.commentProblem("del\u007f").isPresent());
        assertTrue(ArtifactUploadedEvent.commentProblem("lone \ud800 surrogate").isPresent());
    }

    @Test
    void ordinary_comments_pass() {
        for (String comment : new String[] {"nightly build", "line one\nline two\r\n\tindented", "Ünïcödé 🚀", ""}) {
            assertEquals(Optional.empty(), ArtifactUploadedEvent.commentProblem(comment), comment);
        }
        assertEquals(Optional.empty(), ArtifactUploadedEvent.commentProblem(null));
        assertTrue(ArtifactUploadedEvent.commentProblem("x".repeat(ArtifactUploadedEvent.MAX_COMMENT_LENGTH + 1)).isPresent());
    }
}
