import type { Metadata } from "next";
import Link from "next/link";
import { expiryDateBounds, expiryState } from "@/lib/api-tokens/expiry";
import { listApiTokens, type ApiTokenRow } from "@/lib/api-tokens/queries";
import { CreateTokenForm } from "./create-token-form";
import { RevokeButton } from "./revoke-button";

export const metadata: Metadata = { title: "API tokens" };

const exact = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 minutes ago", "yesterday": the largest unit that fits. */
function ago(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  return "just now";
}

function When({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="text-slate-400">Never</span>;
  return (
    <time dateTime={iso} title={exact.format(new Date(iso))}>
      {ago(iso, now)}
      <span className="block text-xs text-slate-500">{exact.format(new Date(iso))}</span>
    </time>
  );
}

/** "Expires in 12 days" (the exact time beneath), "Expired", or a flag on a token with no expiry. */
function Expiry({ iso, now }: { iso: string | null; now: number }) {
  const state = expiryState(iso, new Date(now));
  if (!iso) {
    return (
      <span data-testid="token-expiry" className="font-medium text-amber-800">
        {state.text}
        <span className="block text-xs font-normal text-slate-500">Made before tokens expired</span>
      </span>
    );
  }
  return (
    <span
      data-testid="token-expiry"
      className={state.kind === "expired" ? "text-red-800" : undefined}
    >
      <time dateTime={iso}>{state.text}</time>
      <span className="block text-xs text-slate-500">{exact.format(new Date(iso))}</span>
    </span>
  );
}

function TokenRow({ token, now }: { token: ApiTokenRow; now: number }) {
  const revoked = Boolean(token.revokedAt);
  const expired = token.expiresAt !== null && Date.parse(token.expiresAt) <= now;
  return (
    <tr data-testid="api-token-row" className={revoked || expired ? "text-slate-500" : undefined}>
      <td className="px-4 py-2 font-medium">{token.name}</td>
      <td className="px-4 py-2">
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${
            token.scope === "write" ? "bg-amber-100 text-amber-900" : "bg-slate-100 text-slate-700"
          }`}
        >
          {token.scope}
        </span>
      </td>
      <td className="px-4 py-2">
        {token.createdBy ?? "—"}
        {token.creatorRole && (
          <span data-testid="token-creator-role" className="text-slate-500">
            {" "}
            ({token.creatorRole})
          </span>
        )}
        <span className="block text-xs text-slate-500">
          {exact.format(new Date(token.createdAt))}
        </span>
      </td>
      <td className="px-4 py-2">
        <When iso={token.lastUsedAt} now={now} />
      </td>
      <td className="px-4 py-2">
        {revoked ? (
          <span className="text-slate-400">—</span>
        ) : (
          <Expiry iso={token.expiresAt} now={now} />
        )}
      </td>
      <td className="px-4 py-2">
        {revoked ? (
          <span data-testid="token-status">
            Revoked <When iso={token.revokedAt} now={now} />
          </span>
        ) : (
          <div className="flex items-center gap-3">
            {expired ? (
              <span data-testid="token-status" className="text-red-800">
                Expired
              </span>
            ) : token.creatorActive ? (
              <span data-testid="token-status" className="text-green-800">
                Active
              </span>
            ) : (
              <span data-testid="token-status" className="text-amber-800">
                Stopped: its creator is deactivated
              </span>
            )}
            <RevokeButton tokenId={token.id} name={token.name} />
          </div>
        )}
      </td>
    </tr>
  );
}

export default async function ApiTokensPage() {
  const tokens = await listApiTokens();
  // eslint-disable-next-line react-hooks/purity -- a server render: "3 minutes ago" is as of now
  const now = Date.now();
  const dates = expiryDateBounds(new Date(now));
  return (
    <section className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="mt-1 max-w-3xl text-slate-600">
          Tokens let another system use the{" "}
          <Link href="/settings/api" className="text-brand-700 underline">
            Turnaround API
          </Link>{" "}
          for this organisation. A read token reads complaints and metrics; a write token also
          records complaints, recovery steps and customer activity. Nothing administrative is
          reachable with a token. A token acts for the admin who created it with their role as it is
          at each request: if they are moved to another role it does only what that role allows too,
          and if they are deactivated it stops. Every token expires, at most a year after it is
          made. The secret is shown once; we keep only its hash.
        </p>
      </div>
      <div>
        <h2 className="text-lg font-semibold">Create a token</h2>
        <div className="mt-3 rounded-lg border border-slate-200 bg-white p-5">
          <CreateTokenForm dates={dates} />
        </div>
      </div>
      <div>
        <h2 className="text-lg font-semibold">Tokens</h2>
        {tokens.length === 0 ? (
          <p className="mt-3 text-slate-600">No tokens yet.</p>
        ) : (
          // Scrolls sideways on a phone; focusable so the keyboard can scroll it too.
          <div
            role="region"
            aria-label="Tokens"
            tabIndex={0}
            className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white"
          >
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Name
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Scope
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Created by
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Last used
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Expires
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {tokens.map((token) => (
                  <TokenRow key={token.id} token={token} now={now} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
