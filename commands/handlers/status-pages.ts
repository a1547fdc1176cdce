import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { replyLanguage } from '../../src/platforms/discord/interactions/command-types.js';
import type { ComponentHandler } from '../../src/platforms/discord/interactions/component-handler.js';
import { fitMessage } from '../../src/platforms/discord/message-limits.js';
import type { LayoverServices } from '../services.js';
import { albumGoneText, parseStatusPageId, statusPage } from './status-view.js';

/**
 * The Previous / Next buttons of `/layover status`: the message is updated in place (UPDATE_MESSAGE) with the
 * asked page, keeping its chart.
 */
export function statusPagesHandler(services: LayoverServices): ComponentHandler {
  return async (interaction, responder) => {
    const parsed = parseStatusPageId(interaction.data.custom_id);
    if (parsed === null) return false;
    const found = services.trackings
      .map((tracking) => ({ tracking, album: tracking.albumsById.get(parsed.albumId) }))
      .find((entry) => entry.album !== undefined);
    const language = replyLanguage(interaction.locale);
    if (found?.album === undefined) {
      await responder.respond({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: {
          content: albumGoneText(language),
          flags: MessageFlags.Ephemeral,
          allowed_mentions: { parse: [] },
        },
      });
      return true;
    }
    const view = await services.artistState.view(found.tracking.artist.id);
    const page = statusPage(found.tracking, found.album, view, {
      page: parsed.page,
      nowMs: services.now(),
      language,
    });
    const attachments = interaction.message?.attachments ?? [];
    const chart = attachments[0];
    await responder.respond({
      type: InteractionResponseType.UpdateMessage,
      data: {
        ...fitMessage({
          embeds: [
            {
              ...page.embed,
              ...(chart === undefined ? {} : { image: { url: `attachment://${chart.filename}` } }),
            },
          ],
        }),
        components: page.components,
        // The chart stays: existing attachments are kept by id.
        attachments: attachments.map((a) => ({ id: a.id })),
        allowed_mentions: { parse: [] },
      },
    });
    return true;
  };
}
