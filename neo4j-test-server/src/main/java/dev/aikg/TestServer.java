package dev.aikg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;
import org.neo4j.server.configuration.ServerSettings;

/**
 * Neo4j 5.26 community for the tests: Bolt and HTTP (with Neo4j Browser) on 127.0.0.1 only,
 * authentication on with the given password for user neo4j.
 *
 * <p>Usage: {@code TestServer DATA_DIR BOLT_PORT HTTP_PORT PASSWORD}. Prints one line
 * {@code READY bolt://... http://... SECONDS} when it accepts connections, and stops when its
 * standard input closes, so a test run that dies never leaves a server behind.
 */
public final class TestServer {
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: TestServer DATA_DIR BOLT_PORT HTTP_PORT PASSWORD");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        int bolt = Integer.parseInt(args[1]);
        int http = Integer.parseInt(args[2]);
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(Path.of(args[0]))
                .withConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"))
                .withConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress("127.0.0.1"))
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(GraphDatabaseSettings.udc_enabled, false)
                .withConfig(ServerSettings.allow_telemetry, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(64))
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", bolt))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", bolt))
                .withConfig(HttpConnector.enabled, true)
                .withConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", http))
                .withConfig(HttpConnector.advertised_address, new SocketAddress("127.0.0.1", http))
                .withConfig(HttpsConnector.enabled, false)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close));
        // The embedded API runs as an admin, so the initial password is set without a login;
        // a user whose password must change could not run queries.
        try {
            neo4j.databaseManagementService().database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                    .executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                            Map.of("pw", args[3]));
        } catch (RuntimeException e) {
            System.err.println("cannot set the password: " + e.getMessage());
            System.exit(1);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("READY %s %s %.1f%n", neo4j.boltURI(), neo4j.httpURI(), seconds);
        System.out.flush();
        while (System.in.read() != -1) {
            // a closed standard input means the test process is gone
        }
        System.exit(0);
    }
}
