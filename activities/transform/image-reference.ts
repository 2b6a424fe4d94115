// Container image references the way container runtimes resolve them, so a registry map matches what is pulled:
// `nginx:1.25` is docker.io/library/nginx:1.25, `bitnami/redis` is docker.io/bitnami/redis.

const dockerHub = 'docker.io';

/**
 * The fully qualified form (distribution/reference's normalisation): the first path component is a registry host
 * when it holds a '.' or a ':' (a port), is `localhost`, or has upper-case letters; otherwise the image is on
 * Docker Hub, and a one-component Docker Hub name is an official image under `library/`.
 */
export function normalizeImage(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const isHost = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  let host = isHost ? first : dockerHub;
  const remainder = isHost ? image.slice(slash + 1) : image;
  if (host === 'index.docker.io') host = dockerHub;
  return host === dockerHub && !remainder.includes('/') ? `${host}/library/${remainder}` : `${host}/${remainder}`;
}

/** A prefix matches on a component boundary: `registry.example.com/shop` is not a prefix of `.../shopping/web`. */
function matchesPrefix(reference: string, prefix: string): boolean {
  if (!reference.startsWith(prefix)) return false;
  if (reference.length === prefix.length || prefix.endsWith('/')) return true;
  return '/:@'.includes(reference[prefix.length]);
}

/**
 * The image with the longest matching prefix of `map` replaced, in fully qualified form; undefined when no prefix
 * matches or the result would name the same image. Tags and digests are kept: a mirror serves the same content.
 */
export function rewriteImage(image: string, map: Readonly<Record<string, string>>): string | undefined {
  if (image === '') return undefined;
  const reference = normalizeImage(image);
  let best: string | undefined;
  for (const prefix of Object.keys(map)) {
    if (matchesPrefix(reference, prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  if (best === undefined || map[best] === best) return undefined;
  const rewritten = map[best] + reference.slice(best.length);
  return rewritten === image ? undefined : rewritten;
}
