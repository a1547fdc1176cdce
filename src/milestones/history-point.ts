/** One observation: cumulative counts per subject at one time (a snapshot's readings). */
export interface HistoryPoint {
  /** ISO 8601 with offset: the snapshot's `capturedAt`. */
  readonly at: string;
  /**
   * Subject key -> cumulative count, with the keys of the rules engine: `album:<albumId>`, `track:<trackId>`
   * (others such as `artist` or `followers` may be present and are not drawn). A subject may be absent from a point.
   */
  readonly values: Readonly<Record<string, number>>;
}
