// Integration tests wait on real broker events (group joins, transactions); each wait has
// its own tighter timeout, this is only the outer bound per test.
jest.setTimeout(120_000);
