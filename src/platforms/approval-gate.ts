/**
 * Moderator approval of drafts before they are posted (`X_APPROVAL=discord`): the Discord side implements it with
 * Approve / Edit / Skip buttons in the moderators' channel; `main.ts` wires it into the X publisher. Platforms depend
 * on this interface, never on each other.
 */
export interface ApprovalDraft {
  /** Stable for one post of one group (`<groupId>#<part>`): asking again returns the same draft's decision. */
  readonly key: string;
  /** The text that would be posted. */
  readonly text: string;
  /** The milestones this post announces. */
  readonly milestoneIds: readonly string[];
  /** Where it would go, e.g. `x:<account id>`. */
  readonly destination: string;
}

export type ApprovalDecision =
  | { readonly state: 'pending' }
  /** `text` is set when a moderator edited the draft; it is checked (and if need be shortened) before posting. */
  | { readonly state: 'approved'; readonly text?: string; readonly by?: string }
  | { readonly state: 'skipped'; readonly by?: string };

export interface ApprovalGate {
  /**
   * Puts `draft` up for approval the first time it is asked about (idempotent per `key`, also across processes),
   * and returns the decision so far. Must not throw for a draft it cannot show; it answers `pending` and logs.
   */
  review(draft: ApprovalDraft): Promise<ApprovalDecision>;
  /**
   * Settles the draft under `key` (as given to {@link review}) that will never be posted: its group's plan was made
   * again without `heldBack` (milestones the publishing rules no longer let out), and what remains of the post is
   * a new draft under a new key. An undecided draft is marked replaced, so it no longer waits for a decision and a
   * late one is refused; a decided draft, or a key never reviewed, stays as it is. Must not throw.
   */
  replaced(key: string, heldBack: readonly string[]): Promise<void>;
}
