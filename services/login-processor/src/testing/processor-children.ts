import { buildProcessor, ProcessorChild } from './processor-child';

/**
 * Processor children for one test file, which owns their cleanup: the processor is built before
 * the tests, and every child started here is SIGKILLed after each test, whatever the test did.
 */
export function useProcessorChildren(): { start: (env: Readonly<Record<string, string>>) => ProcessorChild } {
  const children: ProcessorChild[] = [];
  beforeAll(() => buildProcessor(), 180_000);
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
  });
  return {
    start: (env) => {
      const child = new ProcessorChild(env);
      children.push(child);
      return child;
    },
  };
}
