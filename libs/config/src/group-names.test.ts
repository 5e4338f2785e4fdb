import { loadGroupNames } from './group-names';

describe('the consumer groups of the stages', () => {
  it('when nothing is set, then the processor runs as login-processor(-summary) and insights as login-insights(-merge) with its partials topic', () => {
    expect(loadGroupNames({})).toEqual({ routing: 'login-processor', summary: 'login-processor-summary', windowing: 'login-insights', merge: 'login-insights-merge', partialsTopic: 'login-insights-partials' });
  });

  it('when the group ids and the partials topic are set, then every name follows them', () => {
    expect(loadGroupNames({ CONSUMER_GROUP_ID: 'lp', INSIGHTS_GROUP_ID: 'ins', INSIGHTS_PARTIALS_TOPIC: 'p.v2' })).toEqual({ routing: 'lp', summary: 'lp-summary', windowing: 'ins', merge: 'ins-merge', partialsTopic: 'p.v2' });
  });

  it('when the partials topic is not a topic name, then it fails naming the variable', () => {
    expect(() => loadGroupNames({ INSIGHTS_PARTIALS_TOPIC: 'a b' })).toThrow(/INSIGHTS_PARTIALS_TOPIC/);
  });
});
