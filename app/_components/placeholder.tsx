/** A page whose real content lands with a later issue; it says so rather than pretending. */
export function Placeholder({
  title,
  lead,
  comingWith,
  children,
}: {
  title: string;
  lead: string;
  comingWith: string;
  children?: React.ReactNode;
}) {
  return (
    <section>
      <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
      <p className="mt-1 max-w-2xl text-slate-600">{lead}</p>
      {children}
      <p
        data-testid="placeholder-note"
        className="mt-6 max-w-2xl rounded-md border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-600"
      >
        This page is a placeholder: {comingWith}
      </p>
    </section>
  );
}
