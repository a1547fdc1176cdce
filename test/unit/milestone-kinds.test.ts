import { existsSync } from 'node:fs';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { layoverModCommand } from '../../commands/layover-mod.command.js';
import {
  isMilestoneKind,
  kindScope,
  kindTable,
  milestoneKinds,
  subjectKey,
  type MilestoneKind,
} from '../../src/milestone-kinds.js';
import { readSubjects } from '../../src/milestones/readings.js';
import { xKindRank, xPriority } from '../../src/platforms/x/x-priority.js';
import { postPlatforms } from '../../src/platform-posts/post-formats.js';
import {
  defaultTemplatesDir,
  languages,
  loadTemplates,
  templateFile,
} from '../../src/posts/template-store.js';
import { sampleMilestones } from '../../src/preview/sample-milestones.js';
import { snapshotFor } from '../helpers/engine-fixtures.js';
import { layoverWithVideosTracking, randomHistory } from '../helpers/tracking-fixtures.js';

/**
 * Discord's rule for option names: 1 to 32 letters of any script, digits, `-`, `_` or `'`; lower case is checked
 * beside it (a letter with a lower-case variant must use it).
 */
const discordOptionName = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function unique(values: readonly unknown[]): boolean {
  return new Set(values).size === values.length;
}

describe('the milestone kinds table', () => {
  it('has one row per kind, in list order, and nothing else', () => {
    expect(Object.keys(kindTable)).toEqual([...milestoneKinds]);
    for (const kind of milestoneKinds) expect(isMilestoneKind(kind)).toBe(true);
    for (const other of ['likes', 'toString', '__proto__', 'constructor', '']) {
      expect(isMilestoneKind(other)).toBe(false);
    }
  });

  it('gives every kind a template file in every language and platform, and the loader reads each', () => {
    const templates = loadTemplates(postPlatforms);
    for (const language of languages) {
      for (const platform of postPlatforms) {
        for (const kind of milestoneKinds) {
          expect(existsSync(templateFile(defaultTemplatesDir, language, platform, kind)), kind).toBe(true);
          expect(
            templates[language][platform][kind].length,
            `${language} ${platform} ${kind}`,
          ).toBeGreaterThan(0);
        }
      }
    }
  });

  it('ranks kinds for X with unique positive integers; an unknown kind ranks below every known one', () => {
    const ranks = milestoneKinds.map((kind) => kindTable[kind].xRank);
    expect(unique(ranks)).toBe(true);
    for (const rank of ranks) expect(Number.isInteger(rank) && rank > 0).toBe(true);
    expect(xKindRank('likes')).toBe(0);
    const unknown = xPriority({ kind: 'likes' as MilestoneKind, threshold: 10 ** 14 });
    for (const kind of milestoneKinds) expect(unknown).toBeLessThan(xPriority({ kind, threshold: 1 }));
  });

  it('has English and Korean labels for every kind', () => {
    for (const kind of milestoneKinds) {
      for (const language of languages) {
        const labels = kindTable[kind].labels[language];
        expect(labels.count.trim(), `${kind} ${language} count`).not.toBe('');
        expect(labels.cardCaption.trim(), `${kind} ${language} cardCaption`).not.toBe('');
      }
    }
  });

  it('names every kind once in the commands, within Discord limits', () => {
    const commands = milestoneKinds.map((kind) => kindTable[kind].command);
    expect(unique(commands.map((c) => c.option))).toBe(true);
    expect(unique(commands.map((c) => c.choice))).toBe(true);
    expect(unique(commands.map((c) => c.noun))).toBe(true);
    // Korean replies name each kind in Korean, and no two alike.
    expect(unique(commands.map((c) => c.nounKo))).toBe(true);
    for (const c of commands) expect(c.nounKo).toMatch(/^[\uAC00-\uD7A3 ]+$/);
    // A Korean client shows the kinds options under Korean names, no two alike.
    expect(unique(commands.map((c) => c.optionKo))).toBe(true);
    for (const c of commands) {
      for (const name of [c.option, c.optionKo]) {
        expect(name).toMatch(discordOptionName);
        expect(name).toBe(name.toLowerCase());
      }
      expect(c.descriptionKo).toMatch(/^[\uAC00-\uD7A3 ]{1,100}$/);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.choice.length).toBeGreaterThan(0);
      expect(c.choice.length).toBeLessThanOrEqual(100);
    }
  });

  it('is what /layover-mod offers: one kinds option and one template choice per kind', () => {
    interface LooseOption {
      readonly type: ApplicationCommandOptionType;
      readonly name: string;
      readonly name_localizations?: { readonly ko?: string };
      readonly description_localizations?: { readonly ko?: string };
      readonly options?: readonly LooseOption[];
      readonly choices?: readonly {
        readonly name: string;
        readonly name_localizations?: { readonly ko?: string };
        readonly value: string;
      }[];
    }
    const top: readonly LooseOption[] = layoverModCommand.options;
    const subcommands = top.flatMap((o) =>
      o.type === ApplicationCommandOptionType.SubcommandGroup ? (o.options ?? []) : [o],
    );
    const kinds = subcommands.find((o) => o.name === 'kinds');
    expect(kinds?.options?.map((o) => o.name)).toEqual(
      milestoneKinds.map((k) => kindTable[k].command.option),
    );
    expect(kinds?.options?.map((o) => [o.name_localizations?.ko, o.description_localizations?.ko])).toEqual(
      milestoneKinds.map((k) => [kindTable[k].command.optionKo, kindTable[k].command.descriptionKo]),
    );
    const templateKindChoices = subcommands
      .filter((o) => ['set', 'preview', 'reset'].includes(o.name))
      .map((o) => o.options?.find((option) => option.name === 'kind')?.choices);
    expect(templateKindChoices).toHaveLength(3);
    for (const choices of templateKindChoices) {
      expect(choices).toEqual(
        milestoneKinds.map((kind) => ({
          name: kindTable[kind].command.choice,
          name_localizations: { ko: kindTable[kind].command.nounKo },
          value: kind,
        })),
      );
    }
  });

  it('builds subject keys from the scope: the kind, then the id it is about', () => {
    expect(subjectKey('track', 'a', 't')).toBe('track:t');
    expect(subjectKey('album', 'a', null)).toBe('album:a');
    expect(subjectKey('allTracks', 'a', null)).toBe('allTracks:a');
    expect(subjectKey('artist', null, null)).toBe('artist');
    expect(subjectKey('followers', null, null)).toBe('followers');
    expect(subjectKey('views', 'a', 't', 'mv')).toBe('views:mv');
    const keys = milestoneKinds.map((kind) => subjectKey(kind, 'a', 't', 'mv'));
    expect(unique(keys)).toBe(true);
  });

  it('has a source for every kind, whose readings carry the ids of their scope and the table’s key', () => {
    const tracking = layoverWithVideosTracking();
    const [raw] = randomHistory(tracking, 1, 7);
    const readings = readSubjects(tracking, snapshotFor(tracking, raw));
    expect(new Set(readings.map((r) => r.kind))).toEqual(new Set(milestoneKinds));
    for (const reading of readings) {
      const scope = kindScope(reading.kind);
      expect(reading.videoId !== null, reading.key).toBe(scope === 'video');
      if (scope === 'video') {
        // A video carries what it belongs to, as configured.
        const video = tracking.videosById.get(reading.videoId ?? '');
        expect([reading.albumId, reading.trackId]).toEqual([video?.albumId, video?.trackId]);
      } else {
        expect(reading.trackId !== null, reading.key).toBe(scope === 'track');
        expect(reading.albumId !== null, reading.key).toBe(scope !== 'artist');
      }
      expect(reading.key).toBe(subjectKey(reading.kind, reading.albumId, reading.trackId, reading.videoId));
    }
    expect(unique(readings.map((r) => r.key))).toBe(true);
  });

  it('gives every kind a preview sample shaped by its scope', () => {
    const samples = sampleMilestones(layoverWithVideosTracking());
    expect(samples.map((m) => m.kind)).toEqual([...milestoneKinds]);
    for (const m of samples) {
      const scope = kindScope(m.kind);
      expect(m.videoId !== null, m.kind).toBe(scope === 'video');
      if (scope === 'video') continue;
      expect(m.trackId !== null, m.kind).toBe(scope === 'track');
      expect(m.albumId !== null, m.kind).toBe(scope !== 'artist');
    }
  });
});
