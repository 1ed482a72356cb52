const LABELS = ["", "easy", "medium", "hard"];

export function Difficulty({ level }: { level: number }) {
  return (
    <span className="inline-flex items-center gap-1" title={`difficulty: ${LABELS[level]}`}>
      {[1, 2, 3].map((i) => (
        <span key={i} className={`h-1.5 w-1.5 rounded-full ${i <= level ? "bg-slate-600" : "bg-slate-300"}`} />
      ))}
      <span className="sr-only">{LABELS[level]}</span>
    </span>
  );
}
