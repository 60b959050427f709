// A loopback OpenID Connect provider for reassess's sign-in browser test. Never deploy it.
//
//   node provider.mjs PORT REDIRECT_URI
//
// oidc-provider 9 with its development login form, which accepts any login name. The account
// "<name>" gets the e-mail "<name>@example.org" and, by the prefix of its name, the groups claim
// that config/access.toml maps to a role: "cmd-..." -> reassess-commanders, "mopac-..." ->
// reassess-mopac, "analyst-..." -> reassess-analysts, "planner-..." -> reassess-planners;
// any other name has no group (so no role). Streamlit asks for the scopes "openid profile email";
// conformIdTokenClaims: false puts the e-mail and groups in the ID token, which st.user reads.
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
if (!port || !redirectUri) {
  console.error("usage: node provider.mjs PORT REDIRECT_URI");
  process.exit(2);
}

const GROUPS = {
  "cmd-": ["reassess-commanders"],
  "mopac-": ["reassess-mopac"],
  "analyst-": ["reassess-analysts"],
  "planner-": ["reassess-planners"],
};

function groupsFor(name) {
  const prefix = Object.keys(GROUPS).find((p) => name.startsWith(p));
  return prefix ? GROUPS[prefix] : [];
}

const provider = new Provider(`http://localhost:${port}`, {
  clients: [
    {
      client_id: "reassess-test",
      client_secret: "reassess-test-secret-not-for-production",
      redirect_uris: [redirectUri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "groups"],
  },
  conformIdTokenClaims: false,
  cookies: { keys: ["reassess-test-cookie-key-not-for-production"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          name: id,
          email: `${id}@example.org`,
          email_verified: true,
          groups: groupsFor(id),
        };
      },
    };
  },
});
provider.proxy = false;

const server = provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`oidc-provider listening on http://localhost:${port}`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
