/**
 * Discord's documented limits on a message body, as the emulator enforces them (a 400 `Invalid Form Body`, code
 * 50035, naming each broken rule). Lengths count Unicode code points, as Discord does.
 */

const len = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);

type Loose = Record<string, unknown>;
const asObject = (value: unknown): Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Every broken rule of one embed, with its total text length (for the 6,000-per-message rule). */
function embedProblems(embed: Loose, at: string): { problems: string[]; total: number } {
  const problems: string[] = [];
  const check = (what: string, value: unknown, max: number) => {
    if (len(value) > max) problems.push(`${at}.${what}: ${len(value)} characters, at most ${max}`);
  };
  const footer = asObject(embed.footer);
  const author = asObject(embed.author);
  const fields = asArray(embed.fields).map(asObject);
  check('title', embed.title, 256);
  check('description', embed.description, 4096);
  check('footer.text', footer.text, 2048);
  check('author.name', author.name, 256);
  if (fields.length > 25) problems.push(`${at}.fields: ${fields.length} fields, at most 25`);
  fields.forEach((field, i) => {
    check(`fields[${i}].name`, field.name, 256);
    check(`fields[${i}].value`, field.value, 1024);
    if (len(field.name) === 0 || len(field.value) === 0)
      problems.push(`${at}.fields[${i}]: empty name or value`);
  });
  const total =
    len(embed.title) +
    len(embed.description) +
    len(footer.text) +
    len(author.name) +
    fields.reduce((sum, f) => sum + len(f.name) + len(f.value), 0);
  return { problems, total };
}

/** Buttons and rows: at most 5 rows of at most 5 buttons; labels up to 80, custom ids up to 100 characters. */
function componentProblems(components: unknown): string[] {
  const rows = asArray(components).map(asObject);
  const problems: string[] = [];
  if (rows.length > 5) problems.push(`components: ${rows.length} rows, at most 5`);
  rows.forEach((row, r) => {
    const inner = asArray(row.components).map(asObject);
    if (row.type === 1 && (inner.length === 0 || inner.length > 5)) {
      problems.push(`components[${r}]: ${inner.length} buttons, 1 to 5 per row`);
    }
    inner.forEach((c, i) => {
      if (len(c.label) > 80) problems.push(`components[${r}].components[${i}].label: at most 80 characters`);
      if (len(c.custom_id) > 100)
        problems.push(`components[${r}].components[${i}].custom_id: at most 100 characters`);
    });
  });
  return problems;
}

/**
 * Problems with a message body (create, edit, interaction message or follow-up): content up to 2,000
 * characters, up to 10 embeds, each within its field limits and all of them within 6,000 characters together,
 * components within their limits. Empty when Discord would accept it.
 */
export function messageBodyProblems(body: unknown): string[] {
  const b = asObject(body);
  const problems: string[] = [];
  if (len(b.content) > 2000) problems.push(`content: ${len(b.content)} characters, at most 2000`);
  const embeds = asArray(b.embeds).map(asObject);
  if (embeds.length > 10) problems.push(`embeds: ${embeds.length} embeds, at most 10`);
  let total = 0;
  embeds.forEach((embed, i) => {
    const result = embedProblems(embed, `embeds[${i}]`);
    problems.push(...result.problems);
    total += result.total;
  });
  if (total > 6000) problems.push(`embeds: ${total} characters in all, at most 6000`);
  problems.push(...componentProblems(b.components));
  return problems;
}

/** Autocomplete choices: at most 25, each name 1-100 characters and a string value of at most 100. */
export function autocompleteProblems(data: unknown): string[] {
  const choices = asArray(asObject(data).choices).map(asObject);
  const problems: string[] = [];
  if (choices.length > 25) problems.push(`choices: ${choices.length}, at most 25`);
  choices.forEach((choice, i) => {
    if (len(choice.name) < 1 || len(choice.name) > 100)
      problems.push(`choices[${i}].name: 1 to 100 characters`);
    if (typeof choice.value === 'string' && len(choice.value) > 100) {
      problems.push(`choices[${i}].value: at most 100 characters`);
    }
  });
  return problems;
}

/** Discord's 400 body for a form that breaks a rule. */
export function invalidFormBody(problems: readonly string[]): Record<string, unknown> {
  return { message: 'Invalid Form Body', code: 50035, errors: problems };
}
