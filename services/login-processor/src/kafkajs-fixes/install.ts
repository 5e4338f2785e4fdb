import Module from 'node:module';
import { filterAbortedMessages } from './aborted-transactions';

const FILTER = 'kafkajs/src/consumer/filterAbortedMessages';
const BATCH = 'kafkajs/src/consumer/batch';

/**
 * Makes kafkajs use the corrected read_committed filter. kafkajs binds the filter when its batch
 * module loads, so this must run before kafkajs is first required: main.ts imports this module
 * first. Jest has its own module registry; tests use jest.mock(FILTER) instead.
 */
function install(): void {
  if (require.cache[require.resolve(BATCH)] !== undefined) {
    throw new Error('kafkajs was loaded before its read_committed fix was installed; import ./kafkajs-fixes/install first');
  }
  const path = require.resolve(FILTER);
  const fixed = new Module(path);
  fixed.filename = path;
  fixed.loaded = true;
  fixed.exports = filterAbortedMessages;
  require.cache[path] = fixed;
}

install();
