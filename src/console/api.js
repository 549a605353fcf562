// api.js: the console's only way to the server.
//
// Sign-in sends the key pair once (POST api/session); the server answers an
// HttpOnly session cookie the page cannot read and a CSRF token, which lives
// in this module's memory only (a reload asks GET api/session for it again).
// API calls are POST api/server/v2/ACTION with the form parameters of the
// signed API; the server runs them through the same dispatch as signed
// requests. Nothing here is written to any storage.

let csrfToken = null;
const listeners = new Set();

export class ApiError extends Error {
  // code: NCP returnCode or gateway errorCode (text); status: HTTP status
  constructor(code, message, status, response) {
    super(message);
    this.code = String(code);
    this.status = status;
    this.response = response; // the inner answer, when the call partly succeeded
    this.sessionEnded = status === 401;
  }
}

// Form pairs of a parameter object, as the signed API names them:
// lists become name.1, name.2, ...; lists of objects name.N.field.
export function formPairs(params) {
  const out = [];
  for (const [name, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item !== null && typeof item === 'object') {
          for (const [field, v] of Object.entries(item)) out.push([`${name}.${i + 1}.${field}`, String(v)]);
        } else {
          out.push([`${name}.${i + 1}`, String(item)]);
        }
      });
    } else {
      out.push([name, String(value)]);
    }
  }
  return out;
}

// Percent-encoding of a form value, spaces as %20 (what ncp-curl signs).
export function encodePairs(pairs) {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

// fn({action, params, ok, code}) after every API call (the request panel).
export function onCall(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify(entry) {
  for (const fn of listeners) {
    try { fn(entry); } catch (e) { console.error(e); }
  }
}

async function readJson(res) {
  try {
    return await res.json();
  } catch {
    throw new ApiError(String(res.status), `The server answered HTTP ${res.status} without JSON.`, res.status);
  }
}

function gatewayError(data, status) {
  const e = data && data.error;
  if (e) return new ApiError(e.errorCode, e.details ? `${e.message}: ${e.details}` : e.message, status);
  return new ApiError(String(status), `HTTP ${status}`, status);
}

// Calls one action of an API ('server': classic, 'vserver' and 'vpc': the VPC
// platform); resolves to the inner answer ({requestId, returnCode, ...}).
export async function call(action, params = {}, api = 'server') {
  const pairs = [['responseFormatType', 'json'], ...formPairs(params)];
  let res;
  try {
    res = await fetch(`api/${api}/v2/${encodeURIComponent(action)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrfToken || '' },
      body: encodePairs(pairs),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (err) {
    notify({ api, action, params, ok: false, code: 'network' });
    throw new ApiError('network', `The server cannot be reached (${err.message}).`, 0);
  }
  const data = await readJson(res);
  const inner = data && data[`${action}Response`];
  let error = null;
  if (!res.ok || !inner) {
    const re = data && data.responseError;
    error = re ? new ApiError(re.returnCode, re.returnMessage, res.status) : gatewayError(data, res.status);
  } else if (inner.returnCode !== '0') {
    error = new ApiError(inner.returnCode, inner.returnMessage, res.status, inner); // e.g. 22001
  }
  notify({ api, action, params, ok: !error, code: error ? error.code : '0' });
  if (error) throw error;
  return inner;
}

async function sessionRequest(method, body) {
  const headers = {};
  if (body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch('api/session', { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  const data = await readJson(res);
  if (!res.ok) throw gatewayError(data, res.status);
  return data;
}

// -> {accessKey, accountName, csrfToken, idleTimeoutSeconds}
export async function signIn(accessKey, secretKey) {
  const session = await sessionRequest('POST', encodePairs([['accessKey', accessKey], ['secretKey', secretKey]]));
  csrfToken = session.csrfToken;
  return session;
}

// The current session, or null when there is none.
export async function whoAmI() {
  try {
    const session = await sessionRequest('GET');
    csrfToken = session.csrfToken;
    return session;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signOut() {
  try {
    await sessionRequest('DELETE');
  } finally {
    csrfToken = null;
  }
}

export function forgetSession() {
  csrfToken = null;
}
