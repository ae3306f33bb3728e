import Link from "next/link";

/** Back to the quality dashboard from one of its maintenance pages. */
export function BackToRootCauses() {
  return (
    <Link
      href="/dashboards/quality"
      className="text-sm text-brand-600 underline-offset-2 hover:underline"
      data-testid="back-to-root-causes"
    >
      ← Root causes dashboard
    </Link>
  );
}
