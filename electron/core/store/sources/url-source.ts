import { ARCHIVE_LIMITS } from '../../../../shared/plugin-archive';
import { download, judgeSignature, readArchive } from './archive-checks';
import type { ArchiveSource } from './archive-source';

// An archive on the web: vouched for only by a signature at URL.sig from a key
// the person trusts; otherwise unsigned.

export const fromUrl: ArchiveSource<'url'> = async ({ url }, context, progress) => {
  const bytes = await download(context, url, ARCHIVE_LIMITS.maxArchiveBytes, url, progress);
  const archive = await readArchive(context, bytes, url, {});
  let signature: string | null = null;
  try {
    const response = await context.fetch(`${url}.sig`, { maxBytes: 4096 });
    if (response.status === 200) signature = response.body.toString('utf8');
  } catch {
    signature = null;
  }
  const trust = await judgeSignature(context, bytes, signature, `${url}.sig`);
  const note = trust.kind === 'unsigned' ? ' (unsigned)' : '';
  return { archive, bytes, trust, from: url, source: `url: ${url}${note}` };
};
