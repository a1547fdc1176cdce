import Mustache from 'mustache';
import { isKnownPlaceholder } from './placeholders.js';
import { templateProblemText, type TemplateProblem } from './template-problems.js';

type Token = Mustache.TemplateSpans[number];

/**
 * What is wrong with a template's syntax or names, one message per problem ([] when it is fine).
 * Refused: mustache syntax errors, placeholders not in the known list (`knownPlaceholders`), partials and delimiter changes.
 */
export function templateSyntaxProblems(text: string): string[] {
  return templateSyntaxIssues(text).map((problem) => templateProblemText(problem, 'en'));
}

/** {@link templateSyntaxProblems} as data, to be worded in any language. */
export function templateSyntaxIssues(text: string): TemplateProblem[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(text);
  } catch (error) {
    return [{ kind: 'syntax', detail: (error as Error).message }];
  }
  const problems: TemplateProblem[] = [];
  const unknown = new Set<string>();
  const visit = (list: readonly Token[]): void => {
    for (const token of list) {
      const [type, value] = token;
      switch (type) {
        case 'name':
        case '&':
        case '#':
        case '^':
          if (!isKnownPlaceholder(value)) unknown.add(value);
          break;
        case '>':
          problems.push({ kind: 'partial', name: value });
          break;
        case '=':
          problems.push({ kind: 'delimiters' });
          break;
      }
      const children: unknown = (token as readonly unknown[])[4];
      if (Array.isArray(children)) visit(children as Token[]);
    }
  };
  visit(tokens);
  for (const name of unknown) problems.push({ kind: 'unknownPlaceholder', name });
  return problems;
}

/**
 * Renders a template whose syntax has been checked. Nothing is escaped: posts are plain text, not HTML.
 */
export function renderTemplate(text: string, view: object): string {
  return Mustache.render(text, view, {}, { escape: (value: unknown) => String(value) });
}
