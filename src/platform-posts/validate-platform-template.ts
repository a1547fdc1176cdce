import {
  templateProblems,
  validateTemplate,
  type TemplateProblem,
  type TemplateTarget,
  type TemplateValidation,
} from '../posts/validate-template.js';
import { isPostPlatform, postFormats, postPlatforms, type PostPlatform } from './post-formats.js';

/** What a template override is for, the platform named as servers and the template store name it. */
export type PlatformTemplateTarget = Omit<TemplateTarget, 'format'> & { readonly platform: string };

/**
 * {@link validateTemplate} against the named platform's format; a name that is no platform with posts is a
 * problem of its own.
 */
export function validatePlatformTemplate(text: string, target: PlatformTemplateTarget): TemplateValidation {
  const { platform, ...rest } = target;
  if (!isPostPlatform(platform)) {
    return {
      ok: false,
      errors: [`no platform named "${platform}" has posts; the platforms are ${postPlatforms.join(', ')}`],
    };
  }
  return validateTemplate(text, { ...rest, format: postFormats[platform] });
}

/**
 * The problems {@link validatePlatformTemplate} finds, as data to be worded in any language (`templateProblemText`),
 * for a platform known to have posts ([] when the template is fine).
 */
export function platformTemplateProblems(
  text: string,
  target: Omit<TemplateTarget, 'format'> & { readonly platform: PostPlatform },
): TemplateProblem[] {
  const { platform, ...rest } = target;
  return templateProblems(text, { ...rest, format: postFormats[platform] });
}
