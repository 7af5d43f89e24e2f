package org.ufgraph.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * A Neo4j 5 LTS server for the test suite: an embedded DBMS on a data folder
 * with one Bolt connector on 127.0.0.1, authentication on, and a known
 * password for the user neo4j.
 *
 * Usage: Launcher DATA_DIR PORT [--watch-stdin]  (the password is read from
 * the environment variable NEO4J_TEST_PASSWORD so it never shows in a
 * process listing).
 *
 * The page cache is 128 MB unless the system property ufgraph.pagecache.mb
 * says otherwise (start.sh --production sets it, with a production JVM).
 *
 * Prints "READY bolt://127.0.0.1:PORT" once the password is set, so a client
 * never meets the first-start password "neo4j". Stops cleanly on SIGTERM
 * (shutdown hook); with --watch-stdin also when its standard input closes,
 * so a test run that dies without stopping it leaves no server behind.
 */
public final class Launcher {
    private static final String USER = "neo4j";
    private static final long TEST_PAGECACHE_MB = 128;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        boolean watchStdin = args.length == 3 && args[2].equals("--watch-stdin");
        if (args.length != 2 && !watchStdin) {
            System.err.println("usage: Launcher DATA_DIR PORT [--watch-stdin] (password in NEO4J_TEST_PASSWORD)");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("NEO4J_TEST_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_TEST_PASSWORD must hold a password of at least 8 characters");
            System.exit(2);
        }
        Files.createDirectories(dataDir);

        DatabaseManagementService dbms = build(dataDir, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(dbms, stopped), "neo4j-test-shutdown"));
        setPassword(dbms, password);
        if (watchStdin) {
            exitWhenStdinCloses();
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    private static DatabaseManagementService build(Path dataDir, int port) {
        return new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Tests try wrong passwords on purpose; the default lock-out after
                // three failures would then refuse the right one for a while.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                // A test server: small memory, short transaction-log history.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb()))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                // Bolt waits about ten seconds for idle connections by default
                // when it stops; a test server has nothing to wait for.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .build();
    }

    private static long pagecacheMb() {
        return Long.getLong("ufgraph.pagecache.mb", TEST_PAGECACHE_MB);
    }

    /**
     * The first start leaves neo4j/neo4j with a forced change; set the test password instead.
     * A data folder started before may hold this password already, which Neo4j refuses to set
     * again ("Old password and new password cannot be the same"): then there is nothing to do.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    /** Exit (running the shutdown hook) when the parent closes our standard input. */
    private static void exitWhenStdinCloses() {
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                    // Input is ignored; only its end matters.
                }
            } catch (IOException ignored) {
                // A broken pipe means the parent is gone, same as end of input.
            }
            System.exit(0);
        }, "neo4j-test-stdin");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void stop(DatabaseManagementService dbms, CountDownLatch stopped) {
        long started = System.nanoTime();
        try {
            dbms.shutdown();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.println("STOPPED after " + took.toMillis() + " ms");
        } finally {
            System.out.flush();
            stopped.countDown();
        }
    }
}
