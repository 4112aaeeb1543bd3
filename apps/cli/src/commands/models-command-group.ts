/**
 * The `models` parent command that list, pull, convert and quantize hang under: whichever of them
 * registers first creates it, the rest find it, so their order in the command list does not matter.
 */
import type { Command } from 'commander';

export function modelsCommandGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'models') ??
    program.command('models').description('manage local model folders')
  );
}
