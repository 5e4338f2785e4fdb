import { notReady, READY, servicesReadiness } from './readiness';

describe("a consuming service's readiness", () => {
  it('when every stage is ready and one holds partitions, then the service is ready', () => {
    expect(servicesReadiness([{ ...READY, partitions: 3 }, { ...READY, partitions: 0 }])).toEqual(READY);
  });

  it('when a stage is not ready, then the service is not, for that reason', () => {
    expect(servicesReadiness([{ ...READY, partitions: 3 }, { ...notReady('stage summary is preparing partitions 1'), partitions: 3 }])).toEqual({
      ready: false,
      reason: 'stage summary is preparing partitions 1',
      partitions: 3,
    });
  });

  it('when the group left the instance without partitions, then it is not ready', () => {
    expect(servicesReadiness([{ ...READY, partitions: 0 }, { ...READY, partitions: 0 }])).toEqual(notReady('no input partitions assigned'));
  });
});
