import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirstPartyHost } from './first-party-host';

// The aws-sigv4 plugin against botocore's SigV4Auth (Debian's
// python3-botocore), for the same request at the same time: the same
// Authorization header, with and without a session token, with a query
// string and with a body. aws_request against a server on 127.0.0.1, which
// recomputes the signature it received with botocore.

const REFERENCE = join(import.meta.dirname, 'botocore_sigv4.py');
const ACCESS_KEY = 'AKIDEXAMPLE0000000001';
const SECRET = `wJalrXUtnFEMI/K7MDENG+${randomBytes(12).toString('base64')}`;
const TOKEN = `IQoJb3JpZ2luX2VjE${randomBytes(48).toString('base64')}`;
const STAMP = '20150830T123600Z';

interface SignArgs {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  service: string;
  region?: string;
}

/** The headers botocore's SigV4Auth sets for this request at `time`. */
function botocore(args: SignArgs, token?: string, time = STAMP): Record<string, string> {
  const output = execFileSync('/usr/bin/python3', [REFERENCE], {
    input: JSON.stringify({
      ...args,
      region: args.region ?? 'us-east-1',
      time,
      access_key: ACCESS_KEY,
      secret_key: SECRET,
      ...(token ? { token } : {}),
    }),
    encoding: 'utf8',
  });
  return JSON.parse(output) as Record<string, string>;
}

const plugin = new FirstPartyHost('aws-sigv4');
let server: Server;
let port = 0;
const received: {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-amzn-requestid': 'req-1',
        'set-cookie': 'a=b',
      });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  // As main loads it: the person's allowPrivate for this port (tests, local development).
  await plugin.start({
    http: { hosts: ['*.amazonaws.com', `127.0.0.1:${port}`], allowPrivate: [`127.0.0.1:${port}`] },
  });
});
afterAll(async () => {
  expect(plugin.printedASecret()).toBe(false);
  await plugin.stop();
  server.close();
});

const credential = (token?: string) => ({
  values: { access_key_id: ACCESS_KEY, region: 'us-east-1' },
  secrets: { secret_access_key: SECRET, ...(token ? { session_token: token } : {}) },
});

async function sign(args: SignArgs, token?: string, time = '2015-08-30T12:36:00Z') {
  const answer = await plugin.call<{ headers: Record<string, string>; withheld?: string[] }>(
    'sign',
    {
      ...credential(token),
      parameters: { ...args, time },
    },
  );
  expect(answer.error).toBeNull();
  return answer.data;
}

describe('aws_sign equals botocore’s SigV4Auth', () => {
  const cases: [string, SignArgs][] = [
    ['a GET without a query', { method: 'GET', url: 'https://iam.amazonaws.com/', service: 'iam' }],
    [
      'a query string, unsorted, with repeated keys and encoded characters',
      {
        method: 'GET',
        url: 'https://ec2.us-west-2.amazonaws.com/?Version=2016-11-15&Action=DescribeInstances&Filter.1.Value.1=a%20b&Filter.1.Name=tag%3AName&z=&a=2&a=1',
        service: 'ec2',
        region: 'us-west-2',
      },
    ],
    [
      'a POST with a body and content type',
      {
        method: 'POST',
        url: 'https://sts.amazonaws.com/',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
        service: 'sts',
      },
    ],
    [
      'a path with dot segments, spaces in header values, a port and non-ASCII body',
      {
        method: 'PUT',
        url: 'https://api.example.amazonaws.com:8443/a/./b/../c%20d/%C3%A9?x=1',
        headers: { 'X-Custom': '  one   two  ', 'User-Agent': 'not signed' },
        body: 'Grüße, ключ',
        service: 'execute-api',
        region: 'eu-central-1',
      },
    ],
    [
      'S3 (S3SigV4Auth): the path as written, the body hash signed as X-Amz-Content-SHA256',
      {
        method: 'PUT',
        url: 'https://bucket-1.s3.eu-west-1.amazonaws.com/a%20b/./c..txt?x-id=PutObject',
        headers: { 'Content-Type': 'text/plain', 'x-amz-content-sha256': 'ignored' },
        body: 'hello from the agent',
        service: 's3',
        region: 'eu-west-1',
      },
    ],
  ];

  for (const [name, args] of cases) {
    it(`${name}`, async () => {
      const ours = await sign(args);
      const theirs = botocore(args);
      expect(ours.headers).toEqual({
        Authorization: theirs.Authorization,
        'X-Amz-Date': theirs['X-Amz-Date'],
        ...(args.service === 's3'
          ? { 'X-Amz-Content-SHA256': theirs['X-Amz-Content-SHA256'] }
          : {}),
      });
    });
    it(`${name}, with a session token`, async () => {
      const ours = await sign(args, TOKEN);
      const theirs = botocore(args, TOKEN);
      expect(theirs.Authorization).toContain('x-amz-security-token');
      expect(ours.headers.Authorization).toBe(theirs.Authorization);
      // The token is signed, never shown.
      expect(ours.withheld).toEqual(['X-Amz-Security-Token']);
      expect(JSON.stringify(ours)).not.toContain(TOKEN);
    });
  }

  it('signs at the core’s clock when no time is given', async () => {
    const args = {
      method: 'GET',
      url: 'https://iam.amazonaws.com/?Action=ListUsers',
      service: 'iam',
    };
    const answer = await plugin.call<{ headers: Record<string, string> }>('sign', {
      ...credential(),
      parameters: args,
      now: 1_440_938_160, // 2015-08-30T12:36:00Z
    });
    expect(answer.data.headers).toEqual({
      Authorization: botocore(args).Authorization,
      'X-Amz-Date': STAMP,
    });
  });

  it('refuses what an agent could use to have a secret filled into its request', async () => {
    const refused = async (parameters: Record<string, unknown>) =>
      (
        await plugin.call('sign', {
          ...credential(TOKEN),
          parameters: {
            method: 'POST',
            url: 'https://s3.amazonaws.com/',
            service: 's3',
            ...parameters,
          },
        })
      ).error;
    expect(await refused({ body: 'key={{secret:secret_access_key}}' })).toBe(
      '"body" must not hold "{{secret:"',
    );
    expect(await refused({ headers: { 'x-leak': '{{secret:session_token}}' } })).toBe(
      '"headers" must not hold "{{secret:"',
    );
    expect(await refused({ url: 'https://s3.amazonaws.com/{{secret:session_token}}' })).toBe(
      '"url" must not hold "{{secret:"',
    );
    expect(await refused({ headers: { Authorization: 'x' } })).toBe(
      '"headers": leave out Authorization: it is set by signing (or from the url)',
    );
    expect(await refused({ url: 'ftp://s3.amazonaws.com/' })).toBe(
      '"url" must start with https:// (or http:// for a host allowed as http://HOST:PORT)',
    );
  });
});

describe('aws_request through the checked fetch', () => {
  const request = (allowed: string[], token?: string) =>
    plugin.call<{ status: number; headers: Record<string, string>; body: string }>('request', {
      ...credential(token),
      parameters: {
        method: 'POST',
        url: `http://127.0.0.1:${port}/2015-03-31/functions?b=2&a=1`,
        headers: { 'content-type': 'application/json' },
        body: '{"hello":"aws"}',
        service: 'lambda',
      },
      secretHosts: allowed,
    });

  // Without a session token nothing in the request is a template: the host
  // still keeps a credential that names its hosts to those, as the signature
  // is made with its secret.
  for (const token of [undefined, TOKEN])
    it(`reaches 127.0.0.1 only when the credential allows it explicitly${token ? ' (with a session token)' : ''}`, async () => {
      const count = received.length;
      expect(await request(['*.amazonaws.com'], token)).toEqual({
        code: -1,
        data: null,
        error: `aws_request failed: the credential does not allow its secrets to be sent to 127.0.0.1 (its allowed hosts: *.amazonaws.com)`,
      });
      expect(received.length).toBe(count);
    });

  for (const token of [undefined, TOKEN])
    it(`sends a request whose signature botocore recomputes${token ? ', with the session token filled in' : ''}`, async () => {
      const answer = await request([`127.0.0.1:${port}`], token);
      expect(answer).toMatchObject({
        code: 0,
        data: {
          status: 200,
          body: '{"ok":true}',
          headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' },
        },
      });
      expect(answer.data.headers).not.toHaveProperty('set-cookie');
      const seen = received.at(-1);
      if (!seen) throw new Error('the server saw nothing');
      expect(seen.headers['x-amz-security-token']).toBe(token);
      // The server's check: the signed headers it received, signed again by botocore.
      const authorization = String(seen.headers.authorization);
      const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
      const headers: Record<string, string> = {};
      for (const name of signedNames) headers[name] = String(seen.headers[name]);
      const theirs = botocore(
        {
          method: seen.method,
          url: `http://127.0.0.1:${port}${seen.url}`,
          headers,
          body: seen.body,
          service: 'lambda',
        },
        token,
        String(seen.headers['x-amz-date']),
      );
      expect(authorization).toBe(theirs.Authorization);
      expect(JSON.stringify(answer)).not.toContain(SECRET);
    });
});
