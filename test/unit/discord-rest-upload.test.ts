import { describe, expect, it } from 'vitest';
import { withEncodedForm } from '../../src/platforms/discord/discord-rest.js';

describe('Discord uploads are encoded before the request starts', () => {
  it('turns a multipart form into bytes with its boundary in Content-Type, keeping the other headers', async () => {
    const form = new FormData();
    form.append('payload_json', JSON.stringify({ content: 'hello' }));
    form.append('files[0]', new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }), 'card.png');
    const ready = await withEncodedForm({ method: 'POST', body: form, headers: { Authorization: 'Bot x' } });

    expect(ready.body).toBeInstanceOf(Uint8Array);
    const headers = ready.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bot x');
    expect(headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    // The bytes read back as the same form.
    const back = await new Response(ready.body as Uint8Array, {
      headers: { 'content-type': headers['content-type']! },
    }).formData();
    expect(back.get('payload_json')).toBe('{"content":"hello"}');
    const file = back.get('files[0]') as File;
    expect(file.name).toBe('card.png');
    expect(file.type).toBe('image/png');
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([137, 80, 78, 71]);
  });

  it('leaves a JSON body as it is', async () => {
    const init = { method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } };
    expect(await withEncodedForm(init)).toBe(init);
  });
});
