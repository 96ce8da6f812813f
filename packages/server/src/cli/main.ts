import { Command, CommanderError } from 'commander'
import { DataDirInUseError } from '../db/data-dir-lock.ts'
import { VERSION } from '../version.ts'
import { configureAnalyticsCommand } from './commands/analytics.ts'
import { configureApiKeyCommand } from './commands/apikey.ts'
import { configureImportCommand } from './commands/import.ts'
import { configureDemoCommand } from './commands/demo.ts'
import { configureDoctorCommand } from './commands/doctor.ts'
import { configureMigrateCommand } from './commands/migrate.ts'
import { configurePredictCommand } from './commands/predict.ts'
import { configureReportCommand } from './commands/report.ts'
import { configureServeCommand } from './commands/serve.ts'
import { configureUserCommand } from './commands/user.ts'
import { CliError } from './shared.ts'

export function buildProgram(): Command {
  const program = new Command()
    .name('fedele')
    .description('Fedele: customer retention you can trust. Run `fedele <command> --help` for details.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
  configureServeCommand(program)
  configureMigrateCommand(program)
  configureUserCommand(program)
  configureApiKeyCommand(program)
  configureDoctorCommand(program)
  configureDemoCommand(program)
  configureImportCommand(program)
  configureAnalyticsCommand(program)
  configureReportCommand(program)
  configurePredictCommand(program)
  return program
}

/** Runs the CLI; expected failures print one line (JSON with --json) and exit 1. */
export async function main(argv: string[]): Promise<void> {
  // `fedele … --json | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0)
    throw e
  })
  const program = buildProgram()
  const json = argv.includes('--json')
  try {
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
