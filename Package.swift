// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "DevWorkflow",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DevWorkflow", targets: ["DevWorkflow"]),
        .executable(name: "workflowctl", targets: ["workflowctl"]),
        .executable(name: "workflowd", targets: ["workflowd"]),
    ],
    targets: [
        // libpq, found through pkg-config; only PostgresClient imports it.
        .systemLibrary(
            name: "CPostgres",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // libc's GNU extensions that Swift's Glibc module leaves out (pipe2); only Support/Subprocess imports it.
        .systemLibrary(name: "CSystem"),
        // libxml2's SAX interface, declared and not linked: the e-invoice reader loads libxml2 with
        // dlopen when it first reads a document (Invoices/SAXParser), so no other command loads it.
        .systemLibrary(name: "CLibXML2"),
        // The PostgreSQL driver over libpq: connections, pipelines, COPY, LISTEN, the SQL type,
        // codables and errors. The only importer of CPostgres; it knows nothing of the product.
        .target(name: "PostgresClient", dependencies: ["CPostgres"]),
        // The library: workflow engine, procurement rules, persistence, notifications, reports.
        .target(name: "DevWorkflow", dependencies: ["PostgresClient", "CSystem", "CLibXML2"]),
        // The webhook channel: apart because FoundationNetworking (libcurl, gnutls, p11-kit) costs
        // every process that links it 9 ms of start-up, and only workflowd delivers webhooks.
        .target(name: "DevWorkflowWebhook", dependencies: ["DevWorkflow"]),
        // The command line for product owners and admins: parses, calls DevWorkflow, prints.
        // Linked at a fixed address in release builds: as a position-independent executable its
        // 75 000 relative relocations (the Swift runtime's and Foundation's metadata, linked in by
        // scripts/setup) were applied, and their pages copied, on every run: 1.3 ms of a move's
        // 17. Its libraries, stack and heap keep their random addresses.
        .executableTarget(name: "workflowctl", dependencies: ["DevWorkflow"],
                          linkerSettings: [.unsafeFlags(["-Xclang-linker", "-no-pie"], .when(platforms: [.linux], configuration: .release))]),
        // The daemon: configuration, signals and the run loop from DevWorkflow.
        .executableTarget(name: "workflowd", dependencies: ["DevWorkflow", "DevWorkflowWebhook"]),
        // The benchmark: the product's speed beside pgbench and psql, measured in the same run.
        .executableTarget(name: "workflow-bench", dependencies: ["DevWorkflow"]),
        // Tests against a real PostgreSQL started by scripts/test.
        .testTarget(name: "DevWorkflowTests", dependencies: ["DevWorkflow", "DevWorkflowWebhook", "PostgresClient"], exclude: ["Reports/Golden", "Reports/Fixtures", "Notifications/Golden", "Documents/Golden", "Invoices/Fixtures"]),
    ]
)
