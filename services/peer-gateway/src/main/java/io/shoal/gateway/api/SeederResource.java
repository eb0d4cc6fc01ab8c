package io.shoal.gateway.api;

import io.shoal.gateway.catalog.SeederBoard;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The seeder-workers heard from in the last five minutes (open to everyone, like every read). */
@Path("/api/v1/seeders")
@Produces(MediaType.APPLICATION_JSON)
public class SeederResource {

    private final SeederBoard board;

    SeederResource(SeederBoard board) {
        this.board = board;
    }

    @GET
    public List<SeederView> seeders() {
        return board.workers().stream().map(SeederView::of).toList();
    }
}
