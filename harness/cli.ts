// The `cats-stress` command line: one module per subcommand under harness/commands/.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { UsageError } from './flags.ts';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[]): Promise<number>;
}

async function loadCommands(): Promise<Map<string, Command>> {
  const dir = fileURLToPath(new URL('./commands/', import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const commands = new Map<string, Command>();
  for (const file of files) {
    const mod = (await import(new URL(`./commands/${file}`, import.meta.url).href)) as { command: Command };
    commands.set(mod.command.name, mod.command);
  }
  return commands;
}

function help(commands: Map<string, Command>): string {
  const width = Math.max(...[...commands.keys()].map((n) => n.length));
  const lines = [...commands.values()].map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: cats-stress <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'cats-stress <command> --help' for a command's options.`;
}

// Loads only the named command's module, so a command does not pay for the others' imports.
async function loadCommand(name: string): Promise<Command | undefined> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  try {
    const mod = (await import(new URL(`./commands/${name}.ts`, import.meta.url).href)) as { command: Command };
    return mod.command;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(err).includes(`commands/${name}.ts`))
      return undefined;
    throw err;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help(await loadCommands()));
    return name ? 0 : 2;
  }
  const command = await loadCommand(name);
  if (!command) {
    console.error(`cats-stress: unknown command '${name}'\n\n${help(await loadCommands())}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`cats-stress ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    console.error(`cats-stress ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
