import Mustache from 'mustache';
import { isKnownPlaceholder, knownPlaceholders } from './placeholders.js';

type Token = Mustache.TemplateSpans[number];

/**
 * What is wrong with a template's syntax or names, one message per problem ([] when it is fine).
 * Refused: mustache syntax errors, placeholders not in {@link knownPlaceholders}, partials and delimiter changes.
 */
export function templateSyntaxProblems(text: string): string[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(text);
  } catch (error) {
    return [`template syntax error: ${(error as Error).message}`];
  }
  const problems: string[] = [];
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
          problems.push(`partials are not supported ({{> ${value}}})`);
          break;
        case '=':
          problems.push('changing the {{ }} delimiters is not supported');
          break;
      }
      const children: unknown = (token as readonly unknown[])[4];
      if (Array.isArray(children)) visit(children as Token[]);
    }
  };
  visit(tokens);
  for (const name of unknown) {
    problems.push(`unknown placeholder {{${name}}}; known placeholders: ${knownPlaceholders.join(', ')}`);
  }
  return problems;
}

/**
 * Renders a template whose syntax has been checked. Nothing is escaped: posts are plain text, not HTML.
 */
export function renderTemplate(text: string, view: object): string {
  return Mustache.render(text, view, {}, { escape: (value: unknown) => String(value) });
}
