import {
  validateTemplate,
  type TemplateTarget,
  type TemplateValidation,
} from '../posts/validate-template.js';
import { isPostPlatform, postFormats, postPlatforms } from './post-formats.js';

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
