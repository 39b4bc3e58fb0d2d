// telar — command-line front end of the Telar design commons tool. Thin: parses arguments,
// calls the core, prints. Exit codes: 0 ok, 1 findings or failure, 2 usage.

#include "cli_context.h"

#include "telar/error.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    using namespace telar::cli;
    Context ctx;
    installInterruptHandler();
    CLI::App app{"Telar: open hardware design commons — designs, BOMs, licences and provenance in git"};
    app.name("telar");
    app.set_version_flag("--version", "telar 0.1.0");
    app.require_subcommand(1);
    app.fallthrough(); // global options are accepted after the command name too
    app.add_option("--repo", ctx.globals.repo, "Design repository (default: found from the current folder)");
    app.add_option("--rev", ctx.globals.rev, "Revision to read: tag, branch or commit (default: working tree)");
    app.add_option("--store", ctx.globals.store, "Local store file (default: $TELAR_HOME/telar.db)")
        ->envname("TELAR_STORE");
    app.add_flag("--json", ctx.globals.json, "Machine-readable JSON output");
    app.add_flag("-q,--quiet", ctx.globals.quiet, "No progress bar and no notices");

    addRepositoryCommands(app, ctx);
    addDesignCommands(app, ctx);
    addBomCommands(app, ctx);
    addInspectCommands(app, ctx);
    addLicenseCommands(app, ctx);
    addMergeCommands(app, ctx);
    addReleaseCommands(app, ctx);
    addRemoteCommands(app, ctx);
    addProvenanceCommands(app, ctx);
    addAdoptCommands(app, ctx);
    addImportCommands(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? kOk : kUsage;
    } catch (const telar::UsageError& e) {
        std::cerr << "telar: " << e.what() << "\n";
        return kUsage;
    } catch (const telar::Cancelled&) {
        std::cerr << "telar: cancelled\n";
        return interrupted() ? kInterrupted : kFindings;
    } catch (const telar::Error& e) {
        std::cerr << "telar: error: " << e.what() << "\n";
        return kFindings;
    } catch (const std::exception& e) {
        std::cerr << "telar: internal error: " << e.what() << "\n";
        return kFindings;
    }
    return ctx.exitCode;
}
