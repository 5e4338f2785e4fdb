import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';

export function javaBin(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function javaMissing(): Error {
  return new Error(`${javaBin()} was not found: install a JDK 17+ (or fix JAVA_HOME), start a container runtime, or set KAFKA_BROKERS`);
}

export function runJava(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(javaBin(), args, (error, stdout, stderr) => {
      if (!error) resolve();
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') reject(javaMissing());
      else reject(new Error(`java ${args.slice(-5).join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
    });
  });
}

export async function spawnJava(args: string[], outputFile: string, detached = false): Promise<ChildProcess> {
  // Output goes to a file rather than a pipe, so a detached broker outlives us without blocking on a full pipe.
  const output = await open(outputFile, 'a');
  try {
    const child = spawn(javaBin(), args, { stdio: ['ignore', output.fd, output.fd], detached });
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? javaMissing() : error;
    }
    if (detached) child.unref();
    return child;
  } finally {
    await output.close();
  }
}

