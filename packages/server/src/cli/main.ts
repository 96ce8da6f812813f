import { Command, CommanderError } from 'commander'
import { DataDirInUseError } from '../db/data-dir-lock.ts'
import { VERSION } from '../version.ts'
import { CliError } from './shared.ts'

type Configure = (program: Command) => void

/**
 * Each command's module, loaded only when needed: a command run from the command line loads its
 * own module and nothing else (the HTTP server, the prediction pipeline, … stay unloaded:
 * `fedele import` peaks ~40 MB lower), help and unknown commands load them all.
 */
const COMMANDS: Record<string, () => Promise<Configure>> = {
  serve: async () => (await import('./commands/serve.ts')).configureServeCommand,
  migrate: async () => (await import('./commands/migrate.ts')).configureMigrateCommand,
  user: async () => (await import('./commands/user.ts')).configureUserCommand,
  apikey: async () => (await import('./commands/apikey.ts')).configureApiKeyCommand,
  doctor: async () => (await import('./commands/doctor.ts')).configureDoctorCommand,
  demo: async () => (await import('./commands/demo.ts')).configureDemoCommand,
  import: async () => (await import('./commands/import.ts')).configureImportCommand,
  analytics: async () => (await import('./commands/analytics.ts')).configureAnalyticsCommand,
  report: async () => (await import('./commands/report.ts')).configureReportCommand,
  predict: async () => (await import('./commands/predict.ts')).configurePredictCommand,
}

/** The program with every command, or only `only` when it names one. */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command()
    .name('fedele')
    .description(
      'Fedele: customer retention you can trust. Run `fedele <command> --help` for details.',
    )
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
  const names = only !== undefined && only in COMMANDS ? [only] : Object.keys(COMMANDS)
  for (const configure of await Promise.all(
    names.map((n) => (COMMANDS[n] as () => Promise<Configure>)()),
  )) {
    configure(program)
  }
  return program
}

/** Runs the CLI; expected failures print one line (JSON with --json) and exit 1. */
export async function main(argv: string[]): Promise<void> {
  // `fedele … --json | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0)
    throw e
  })
  const json = argv.includes('--json')
  try {
    const program = await buildProgram(argv[2])
    await program.parseAsync(argv)
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exit(e.exitCode)
    }
    const message =
      e instanceof CliError || e instanceof DataDirInUseError
        ? e.message
        : `unexpected error: ${(e as Error).message ?? String(e)}`
    if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`)
    else process.stderr.write(`fedele: ${message}\n`)
    process.exit(e instanceof CliError ? e.exitCode : 1)
  }
}
