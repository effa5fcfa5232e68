/** Checks shared by both benchmarks: a variant must answer as intended before it is timed. */

/** The `name=value` pair of a response's first `Set-Cookie`, for the next request's `Cookie`. */
export function cookieFrom(response) {
  const setCookie = response.headers.getSetCookie()[0];
  if (setCookie === undefined) throw new Error('the seed request got no Set-Cookie');
  return setCookie.split(';')[0];
}

/** Throws unless the response has the status and headers the variant is meant to produce. */
export async function checkResponse(name, variant, response) {
  const body = await response.text();
  const vary = response.headers.get('vary') === 'Cookie';
  const setCookie = response.headers.getSetCookie().length > 0;
  // A session response that sets the cookie or shows a stored session is kept private (S22).
  const cacheControl = response.headers.get('cache-control');
  if (
    response.status !== 200 ||
    !body.startsWith('count=') ||
    vary !== variant.vary ||
    setCookie !== variant.setCookie ||
    cacheControl !== (variant.cacheControl ?? null)
  ) {
    const headers = JSON.stringify([...response.headers]);
    throw new Error(`variant ${name} answered ${response.status} ${headers} ${body}`);
  }
  return body;
}
