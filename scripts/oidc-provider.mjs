// A throwaway OpenID provider for climb's single sign-on tests, on
// 127.0.0.1 and a free port: one confidential client whose id, secret and
// redirect URI are the arguments, and the provider's own development login
// pages, where any login name signs in as the person whose verified email
// it is. Prints `issuer URL` once it listens. Test use only.
//
//   node scripts/oidc-provider.mjs CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// The package comes from CLIMB_OIDC_PROVIDER_DIR (scripts/test installs it).

import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!clientId || !clientSecret || !redirectUri) {
  console.error('usage: oidc-provider.mjs CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}
const dir = process.env.CLIMB_OIDC_PROVIDER_DIR;
if (!dir) {
  console.error('CLIMB_OIDC_PROVIDER_DIR is not set');
  process.exit(2);
}
const entry = path.join(dir, 'node_modules', 'oidc-provider', 'lib', 'index.js');
const { default: Provider } = await import(pathToFileURL(entry).href);

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // The ID token carries the claims of the scopes asked for.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['climb-test-provider-only'] },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id, email_verified: true };
        },
      };
    },
  });
  server.on('request', provider.callback());
  console.log(`issuer ${issuer}`);
});

// Stop when the test that started it closes stdin.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
