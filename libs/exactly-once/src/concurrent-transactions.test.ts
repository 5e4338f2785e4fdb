import { retryWhileConcurrent } from './concurrent-transactions';

const concurrent = () => Object.assign(new Error('The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing'), { type: 'CONCURRENT_TRANSACTIONS' });

describe('retrying while the previous transaction completes', () => {
  it('when the coordinator answers CONCURRENT_TRANSACTIONS twice, then the third attempt succeeds', async () => {
    const request = jest.fn<Promise<string>, []>().mockRejectedValueOnce(concurrent()).mockRejectedValueOnce(concurrent()).mockResolvedValue('ok');
    await expect(retryWhileConcurrent(request)).resolves.toBe('ok');
    expect(request).toHaveBeenCalledTimes(3);
  });

  it('when the request fails otherwise, then the error is thrown at once', async () => {
    const fenced = Object.assign(new Error('fenced'), { type: 'PRODUCER_FENCED' });
    const request = jest.fn<Promise<string>, []>().mockRejectedValue(fenced);
    await expect(retryWhileConcurrent(request)).rejects.toBe(fenced);
    expect(request).toHaveBeenCalledTimes(1);
  });
});
