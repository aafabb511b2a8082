// Who is at this desk, in the header: audit records, approvals, overrides, ledger
// rows and messages name this person. Until someone is chosen the header asks, since
// only a named attorney may override the send guard or keep a sensitive number.
import { useBackendQuery } from "../api/useBackendQuery";

export function DeskPerson({ onChoose }: { onChoose: () => void }) {
  const people = useBackendQuery((b) => b.personList(), [], ["exchange"]);
  if (!people.data) return null;
  const desk = people.data.desk;
  return (
    <button
      className={desk ? "link desk-person" : "link desk-person unset"}
      id="desk-person-open"
      data-testid="desk-person-indicator"
      title="Who is at this desk: records and decisions name them. Change it in Settings."
      onClick={onChoose}
    >
      {desk ? `${desk.name} (${desk.role})` : "Who is at this desk?"}
    </button>
  );
}
