import type { RenderedChart } from './status-chart.js';

/** Loads the data of one chart as it is now and draws it. */
export type ChartLoader = () => Promise<RenderedChart>;

export interface ChartCacheOptions {
  /** Charts kept, one per slot (artist, album, language), most recently used first; default 32. */
  readonly maxSlots?: number;
}

interface Drawing {
  /** The data versions this drawing answers: every requester that joined it had seen one of these (or older). */
  readonly versions: Set<string>;
  readonly promise: Promise<RenderedChart>;
}

interface Queued extends Drawing {
  begin(): void;
}

interface SlotState {
  /** The latest chart drawn, and the versions it answers. */
  last: { readonly versions: ReadonlySet<string>; readonly chart: RenderedChart } | null;
  current: Drawing | null;
  /** One drawing that starts when `current` ends, shared by every request for a version `current` does not answer. */
  next: Queued | null;
}

const ignore = () => undefined;

/**
 * Drawn charts by data version, so that many requests for the same data draw once. A slot (e.g. an artist's album
 * in one language) keeps its latest chart with the data versions it answers. A request whose version the latest
 * chart answers gets it at once; one whose version the drawing under way answers waits for that; any other waits
 * for one further drawing, which every such request shares and which starts when the current one ends, so it loads
 * data at least as new as each of theirs. A slot therefore has at most one drawing under way and one queued,
 * however many requests arrive and however fast the data changes. Versions are opaque strings, only compared for
 * equality. A failed drawing fails the requests that waited on it and is not kept.
 */
export class ChartCache {
  private readonly maxSlots: number;
  private readonly slots = new Map<string, SlotState>();

  constructor(options: ChartCacheOptions = {}) {
    this.maxSlots = options.maxSlots ?? 32;
  }

  /** The chart of `slot` for data `version`, drawn by `load` when no kept or pending chart answers that version. */
  get(slot: string, version: string, load: ChartLoader): Promise<RenderedChart> {
    let state = this.slots.get(slot);
    if (state === undefined) {
      state = { last: null, current: null, next: null };
      this.evictIdle();
    } else {
      this.slots.delete(slot);
    }
    this.slots.set(slot, state);
    if (state.last?.versions.has(version) === true) return Promise.resolve(state.last.chart);
    if (state.current?.versions.has(version) === true) return state.current.promise;
    if (state.current === null) return this.begin(state, new Set([version]), load);
    if (state.next === null) state.next = this.queued(state, load);
    state.next.versions.add(version);
    return state.next.promise;
  }

  private begin(state: SlotState, versions: Set<string>, load: ChartLoader): Promise<RenderedChart> {
    const promise = load().then((chart) => {
      state.last = { versions, chart };
      return chart;
    });
    const drawing: Drawing = { versions, promise };
    state.current = drawing;
    void promise.then(ignore, ignore).then(() => {
      if (state.current === drawing) state.current = null;
      const next = state.next;
      state.next = null;
      next?.begin();
    });
    return promise;
  }

  private queued(state: SlotState, load: ChartLoader): Queued {
    let resolve: (chart: RenderedChart) => void = ignore;
    let reject: (error: unknown) => void = ignore;
    const promise = new Promise<RenderedChart>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const versions = new Set<string>();
    return {
      versions,
      promise,
      begin: () => {
        this.begin(state, versions, load).then(resolve, reject);
      },
    };
  }

  /** Makes room for one more slot by dropping the least recently used slots with nothing under way. */
  private evictIdle(): void {
    for (const [key, state] of this.slots) {
      if (this.slots.size < this.maxSlots) return;
      if (state.current === null && state.next === null) this.slots.delete(key);
    }
  }
}
