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

/** A milestone that does not go out, and why (the reason the ledger records, in English). */
export interface UnpostedMilestone {
  readonly id: string;
  readonly reason: string;
}

/** Why a draft will never be posted, whatever was decided on it. */
export type NotPosted =
  /**
   * Its group's plan was made again without `heldBack` (milestones the publishing rules no longer let out, stale
   * or superseded); what remains of the post is a new draft under a new key.
   */
  | { readonly state: 'replaced'; readonly heldBack: readonly string[] }
  /**
   * No milestone of its group is left to post: the publishing rules held back the last ones (stale, or superseded)
   * and the others are settled, so no new plan, and no new draft, will come. `heldBack`: the group's milestones
   * that do not go out, each with the reason the ledger records.
   */
  | { readonly state: 'withdrawn'; readonly heldBack: readonly UnpostedMilestone[] }
  /**
   * Its group was given up for good (`reason`: `X_MAX_WAIT_HOURS` passed waiting for a decision, for budget or
   * out a pause, or X refused the post); its milestones are recorded as failed.
   */
  | { readonly state: 'givenUp'; readonly reason: string }
  /**
   * No milestone of its group is left to post, and some of the draft's own failed rather than being held back:
   * their publish jobs ran out of attempts, or failed for good (e.g. the artist is no longer tracked), so no job
   * will post it. `milestones`: the draft's milestones, each with the reason the ledger records (for an error from
   * X, what X answered; a milestone held back by the rules, with that reason).
   */
  | { readonly state: 'failed'; readonly milestones: readonly UnpostedMilestone[] };

export interface ApprovalGate {
  /**
   * Puts `draft` up for approval the first time it is asked about (idempotent per `key`, also across processes),
   * and returns the decision so far. Must not throw for a draft it cannot show; it answers `pending` and logs.
   */
  review(draft: ApprovalDraft): Promise<ApprovalDecision>;
  /**
   * Settles the draft under `key` (as given to {@link review}) that will never be posted, and says why (`why`).
   * An undecided draft is settled with `why`, so it no longer waits for a decision and a late one is refused; an
   * approved draft keeps its decision and is marked not posted; a skipped draft, or a key never reviewed, stays as
   * it is. The first `why` recorded for a draft stands. Must not throw.
   */
  notPosted(key: string, why: NotPosted): Promise<void>;
}
