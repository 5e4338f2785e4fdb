import type { DashboardEvent, FlowView, Snapshot, Tick, WindowView } from '@login-stream/schema';

// The dashboard page: one EventSource on /events, charts drawn by uPlot (loaded by the page as
// a global), tables as plain DOM. The browser reconnects the stream by itself; the page says so
// while it is down.

const RATE_POINTS = 300;
const SERIES_COLOURS = ['#58a6ff', '#3fb950', '#d29922', '#f778ba', '#a371f7', '#79c0ff', '#ffa657'];

interface Model {
  minutes: WindowView[];
  hours: WindowView[];
  tick: Tick | undefined;
  /** Records per second per topic over time, for the rates chart. */
  rates: Array<{ atMs: number; flows: readonly FlowView[] }>;
}

const model: Model = { minutes: [], hours: [], tick: undefined, rates: [] };

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

const number = (n: number) => n.toLocaleString('en-US');
const minuteLabel = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function upsert(list: WindowView[], view: WindowView, keep: number): WindowView[] {
  const next = [...list.filter((w) => w.key !== view.key), view].sort((a, b) => a.startMs - b.startMs);
  return next.slice(Math.max(0, next.length - keep));
}

/** A uPlot chart in a card that follows the card's width. */
class Chart {
  private plot: uPlot | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly seriesOf: () => { labels: string[]; options?: Partial<uPlot.Series> },
    /** Shown while there is nothing to draw. */
    private readonly empty: string,
  ) {
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(container);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.container.clientWidth), height: 180 };
  }

  draw(data: uPlot.AlignedData): void {
    if (data[0].length === 0) this.container.dataset['empty'] = this.empty;
    else delete this.container.dataset['empty'];
    const { labels, options } = this.seriesOf();
    if (this.plot !== undefined && this.plot.series.length !== labels.length + 1) {
      this.plot.destroy();
      this.plot = undefined;
    }
    if (this.plot === undefined) {
      const series: uPlot.Series[] = [{}, ...labels.map((label, i) => ({ label, stroke: SERIES_COLOURS[i % SERIES_COLOURS.length], width: 2, ...options }))];
      this.plot = new uPlot({ ...this.size(), series, legend: { live: false }, axes: [{ stroke: '#8b98a5', grid: { stroke: '#26313c' } }, { stroke: '#8b98a5', grid: { stroke: '#26313c' } }], scales: { x: { time: true } } }, data, this.container);
      return;
    }
    this.plot.setData(data);
  }
}

const deviceTypes = (windows: readonly WindowView[]) => [...new Set(windows.flatMap((w) => Object.keys(w.deviceTypes)))].sort();
const seconds = (windows: readonly WindowView[]) => windows.map((w) => w.startMs / 1000);

const charts = {
  minutes: new Chart(byId('chart-minutes'), () => ({ labels: ['logins', 'unique users'] }), 'no closed 1m window yet'),
  devices: new Chart(byId('chart-devices'), () => ({ labels: deviceTypes(model.minutes) }), 'no closed 1m window yet'),
  hours: new Chart(byId('chart-hours'), () => ({ labels: deviceTypes(model.hours) }), 'no closed 1h window yet'),
  ips: new Chart(byId('chart-ips'), () => ({ labels: ['users with several IPs'] }), 'no closed 1m window yet'),
  late: new Chart(byId('chart-late'), () => ({ labels: ['late logins'] }), 'no closed 1m window yet'),
  rates: new Chart(byId('chart-rates'), () => ({ labels: (model.rates[0]?.flows ?? []).map((f) => f.topic) }), 'waiting for the first figures'),
};

function cell(text: string, numeric = false, field?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (numeric) td.className = 'num';
  if (field !== undefined) td.dataset['field'] = field;
  return td;
}

function replaceRows(table: HTMLTableElement, rows: HTMLTableRowElement[], empty: string, columns: number): void {
  const body = table.tBodies[0];
  if (rows.length === 0) {
    const row = document.createElement('tr');
    const td = cell(empty);
    td.colSpan = columns;
    row.append(td);
    rows = [row];
  }
  body.replaceChildren(...rows);
}

const devicesText = (w: WindowView) => Object.entries(w.deviceTypes).map(([d, n]) => `${d} ${number(n)}`).join(', ') || '(none)';
const localesText = (l: WindowView['mostLocales']) => (l === null ? '(none)' : `${l.locales.join(', ')} (${number(l.logins)})`);

function renderWindows(): void {
  const { minutes, hours } = model;
  const late = model.tick?.late ?? {};
  const xs = seconds(minutes);
  charts.minutes.draw([xs, minutes.map((w) => w.logins), minutes.map((w) => w.uniqueUsers)]);
  charts.devices.draw([xs, ...deviceTypes(minutes).map((d) => minutes.map((w) => w.deviceTypes[d] ?? 0))]);
  charts.hours.draw([seconds(hours), ...deviceTypes(hours).map((d) => hours.map((w) => w.deviceTypes[d] ?? 0))]);
  charts.ips.draw([xs, minutes.map((w) => w.usersWithMultipleIps)]);
  charts.late.draw([xs, minutes.map((w) => late[w.key] ?? 0)]);

  const latest = minutes[minutes.length - 1];
  const facts = byId<HTMLDListElement>('latest');
  if (latest !== undefined) {
    const rows: Array<[string, string, string]> = [
      ['window', `${latest.key.slice(3, 19).replace('T', ' ')} UTC (1m)`, 'window'],
      ['logins', number(latest.logins), 'logins'],
      ['unique users', number(latest.uniqueUsers), 'unique-users'],
      ['most represented locale', localesText(latest.mostLocales), 'most-locale'],
      ['least represented locale', localesText(latest.leastLocales), 'least-locale'],
      ['users with several IPs', number(latest.usersWithMultipleIps), 'multiple-ips'],
      ['most IPs of one user', latest.maxIpsPerUser === null ? '(none)' : `${latest.maxIpsPerUser.ips} (${latest.maxIpsPerUser.userIds.join(', ')})`, 'max-ips'],
    ];
    facts.dataset['key'] = latest.key;
    facts.replaceChildren(
      ...rows.flatMap(([term, value, field]) => {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        dd.dataset['field'] = field;
        return [dt, dd];
      }),
    );
  }

  const newestFirst = [...minutes].reverse().slice(0, 15);
  replaceRows(
    byId<HTMLTableElement>('windows'),
    newestFirst.map((w) => {
      const row = document.createElement('tr');
      row.dataset['key'] = w.key;
      row.append(cell(minuteLabel(w.startMs), false, 'window'), cell(number(w.logins), true, 'logins'), cell(number(w.uniqueUsers), true, 'unique-users'), cell(devicesText(w), false, 'devices'), cell(localesText(w.mostLocales), false, 'most-locale'), cell(number(w.usersWithMultipleIps), true, 'multiple-ips'), cell(number(late[w.key] ?? 0), true, 'late'));
      return row;
    }),
    'no closed 1m window yet',
    7,
  );
}

function renderTick(): void {
  const tick = model.tick;
  if (tick === undefined) return;
  replaceRows(
    byId<HTMLTableElement>('flows'),
    tick.flows.map((f) => {
      const row = document.createElement('tr');
      row.dataset['topic'] = f.topic;
      row.append(cell(f.name), cell(number(f.records), true, 'records'), cell(number(f.perSecond), true, 'per-second'));
      return row;
    }),
    'no topics',
    3,
  );
  replaceRows(
    byId<HTMLTableElement>('rejections'),
    tick.rejections.map(([reason, count]) => {
      const row = document.createElement('tr');
      row.dataset['reason'] = reason;
      row.append(cell(reason), cell(number(count), true, 'count'));
      return row;
    }),
    'none yet',
    2,
  );
  const badge = byId('reconciliation');
  const check = tick.reconciliation;
  badge.dataset['verdict'] = check?.verdict ?? 'PENDING';
  badge.textContent = `reconciliation: ${check?.verdict ?? 'PENDING'}`;
  badge.title = check?.line ?? '';
  const rates = model.rates;
  charts.rates.draw([rates.map((r) => r.atMs / 1000), ...(rates[0]?.flows ?? []).map((_, i) => rates.map((r) => r.flows[i]?.perSecond ?? 0))]);
}

function setConnected(connected: boolean): void {
  const pill = byId('connection');
  pill.dataset['state'] = connected ? 'connected' : 'disconnected';
  pill.textContent = connected ? 'live' : 'disconnected';
  byId('banner').hidden = connected;
}

function on<T>(source: EventSource, event: DashboardEvent, handle: (data: T) => void): void {
  source.addEventListener(event, (e) => handle(JSON.parse((e as MessageEvent<string>).data) as T));
}

const source = new EventSource('/events');
source.addEventListener('open', () => setConnected(true));
// EventSource reconnects by itself (the server asks for 1 s): say so meanwhile.
source.addEventListener('error', () => setConnected(false));
on<Snapshot>(source, 'snapshot', (snapshot) => {
  model.minutes = [...snapshot.minutes];
  model.hours = [...snapshot.hours];
  model.tick = snapshot;
  model.rates = [{ atMs: snapshot.atMs, flows: snapshot.flows }];
  setConnected(true);
  renderWindows();
  renderTick();
});
on<WindowView>(source, 'window', (view) => {
  if (view.size === '1m') model.minutes = upsert(model.minutes, view, 60);
  else model.hours = upsert(model.hours, view, 24);
  renderWindows();
});
on<Tick>(source, 'tick', (tick) => {
  model.tick = tick;
  model.rates = [...model.rates, { atMs: tick.atMs, flows: tick.flows }].slice(-RATE_POINTS);
  renderTick();
  renderWindows();
});
