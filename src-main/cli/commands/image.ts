import type { Command } from 'commander';
import {
  buildImage,
  formatBytes,
  ImageError,
  listImages,
  pullImage,
  pushImage,
  removeImage,
} from '../../app/images';
import { CliError } from '../cli-error';
import { formatTable, printJson } from '../context';
import { parseOutputFormat } from '../flags';
import type { CliIo } from '../io';
import { collectBuildArg, collectTag } from './image-flags';
import { ImageProgressPrinter } from './image-progress';

interface BuildFlags {
  tag?: string[];
  file?: string;
  buildArg?: Record<string, string>;
  target?: string;
  cache: boolean;
}

/**
 * `kubedesk image build|push|pull|ls|rm`: images on the host's Docker engine, which pods use
 * directly (imagePullPolicy IfNotPresent or Never) or through the registry addon.
 */
export function registerImage(program: Command, io: CliIo): void {
  const image = program
    .command('image')
    .description('Build, push, pull, list and remove images on the Docker engine the cluster uses');

  image
    .command('build')
    .description('Build an image from a Dockerfile; pods can use it at once (imagePullPolicy IfNotPresent)')
    .argument('<dir>', 'build context folder')
    .option('-t, --tag <name>', 'name the image, NAME[:TAG] (repeatable)', collectTag)
    .option('-f, --file <path>', 'Dockerfile (default: <dir>/Dockerfile)')
    .option('--build-arg <name=value>', 'build-time variable (repeatable)', collectBuildArg(io.env))
    .option('--target <stage>', 'build up to this stage of a multi-stage Dockerfile')
    .option('--no-cache', 'do not use cached layers')
    .action(async (dir: string, flags: BuildFlags) => {
      if (!flags.tag?.length) {
        throw new CliError('No image name given.', 'Name the image with -t, e.g. -t app:dev.', 2);
      }
      const printer = new ImageProgressPrinter(io);
      const built = await reportImageErrors(
        () =>
          buildImage({
            context: dir,
            tags: flags.tag ?? [],
            dockerfile: flags.file,
            buildArgs: flags.buildArg,
            target: flags.target,
            noCache: !flags.cache,
            onProgress: printer.print,
          }),
        printer,
      );
      io.out(`✓ Built ${built.tags.join(', ')} (${built.id.replace(/^sha256:/, '').slice(0, 12)})\n`);
    });

  image
    .command('push')
    .description('Push an image to its registry (e.g. the registry addon at localhost:<port>)')
    .argument('<name>', 'image NAME[:TAG]')
    .action(async (name: string) => {
      const printer = new ImageProgressPrinter(io);
      const pushed = await reportImageErrors(() => pushImage(name, { onProgress: printer.print }), printer);
      io.out(`✓ Pushed ${name}${pushed.digest ? ` (${pushed.digest})` : ''}\n`);
    });

  image
    .command('pull')
    .description('Pull an image into the Docker engine')
    .argument('<name>', 'image NAME[:TAG]')
    .action(async (name: string) => {
      const printer = new ImageProgressPrinter(io);
      await reportImageErrors(() => pullImage(name, { onProgress: printer.print }), printer);
      io.out(`✓ Pulled ${name}\n`);
    });

  image
    .command('ls')
    .alias('list')
    .description('List the images of the Docker engine')
    .option('-o, --output <format>', 'text or json', parseOutputFormat, 'text')
    .action(async (flags: { output: 'text' | 'json' }) => {
      const images = await reportImageErrors(() => listImages());
      if (flags.output === 'json') {
        printJson(io, images);
        return;
      }
      io.out(
        formatTable(
          ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
          images.map((entry) => [
            entry.repository,
            entry.tag,
            entry.id,
            formatAgo(entry.created, Date.now()),
            formatBytes(entry.size),
          ]),
        ),
      );
    });

  image
    .command('rm')
    .alias('remove')
    .description('Remove image names from the Docker engine (the image goes with its last name)')
    .argument('<names...>', 'image NAME[:TAG] or id')
    .option('--force', 'remove even when containers use it')
    .action(async (names: string[], flags: { force?: boolean }) => {
      for (const name of names) {
        const removed = await reportImageErrors(() => removeImage(name, { force: flags.force }));
        for (const untagged of removed.untagged) io.out(`Untagged: ${untagged}\n`);
        for (const deleted of removed.deleted) io.out(`Deleted: ${deleted}\n`);
      }
    });
}

/** Runs an image operation, turning ImageError into the CLI's one-line cause and fix. */
async function reportImageErrors<T>(operation: () => Promise<T>, printer?: ImageProgressPrinter): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    printer?.finish();
    if (error instanceof ImageError) throw new CliError(error.message, error.hint);
    throw error;
  } finally {
    printer?.finish();
  }
}

/** How long ago `iso` was, as `docker images` says it (`5 minutes ago`, `2 days ago`). */
export function formatAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return iso;
  const units: [number, string][] = [
    [365 * 24 * 3600, 'year'],
    [30 * 24 * 3600, 'month'],
    [7 * 24 * 3600, 'week'],
    [24 * 3600, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1)
      return count === 1 ? `${name === 'hour' ? 'An' : 'A'} ${name} ago` : `${count} ${name}s ago`;
  }
  return seconds <= 1 ? 'Less than a second ago' : `${seconds} seconds ago`;
}
