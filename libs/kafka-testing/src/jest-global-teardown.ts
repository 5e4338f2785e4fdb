import { takeBrokerHandle } from './jest-global-setup';

export default async function globalTeardown(): Promise<void> {
  await takeBrokerHandle()?.stop();
}
