import type { Command } from 'commander';
import type { CliConfig } from '../cli-config';
import { registerAskCommand } from './ask.command';
import { registerEvalCommand } from './eval.command';
import { registerBackupCommands } from './organisation-backup.command';
import { registerModelsListCommand } from './models-list.command';
import { registerModelsPullCommand } from './models-pull.command';
import { registerModelsConvertCommand } from './models-convert.command';
import { registerModelsQuantizeCommand } from './models-quantize.command';
import { registerSearchCommand } from './search.command';
import { registerUsersCommand } from './users-create-owner.command';

/** Every subcommand module exports a register function, given the CLI config; add new ones to this list. */
export const commands: Array<(program: Command, config: CliConfig) => void> = [
  registerAskCommand,
  registerEvalCommand,
  registerModelsListCommand,
  registerModelsPullCommand,
  registerModelsConvertCommand,
  registerModelsQuantizeCommand,
  registerSearchCommand,
  registerUsersCommand,
  registerBackupCommands,
];
