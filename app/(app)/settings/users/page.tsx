import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/guard";
import { listTeams, listUsers, type UserRow } from "@/lib/users/queries";
import { CreateUserForm } from "./create-user-form";
import { RoleSelect } from "./role-select";
import { UserActions } from "./user-actions";

const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

function Status({ user }: { user: UserRow }) {
  if (!user.active) {
    return (
      <span className="rounded bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">
        Deactivated
      </span>
    );
  }
  return (
    <div className="space-y-1">
      <span className="rounded bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">
        Active
      </span>
      {user.resetPendingUntil && (
        <span className="block text-xs text-slate-500">
          Reset code unused until {dateTime.format(user.resetPendingUntil)} UTC
        </span>
      )}
    </div>
  );
}

export const metadata: Metadata = { title: "Users and roles" };

export default async function UsersPage() {
  const [users, teams, me] = await Promise.all([listUsers(), listTeams(), requireUser()]);
  return (
    <section className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Users and roles</h1>
        <p className="mt-1 text-slate-600">
          Who can sign in, and what each person may do. A role change, a deactivation or signing
          someone out takes effect on their next page.
        </p>
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                Name
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Email
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Teams
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Role
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Status
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Account
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => (
              <tr key={user.id} data-testid={`user-row-${user.email}`}>
                <td className="px-4 py-2 font-medium">{user.name}</td>
                <td className="px-4 py-2 text-slate-600">{user.email}</td>
                <td className="px-4 py-2 text-slate-600">{user.teams.join(", ") || "—"}</td>
                <td className="px-4 py-2">
                  <RoleSelect userId={user.id} role={user.role} name={user.name} />
                </td>
                <td className="px-4 py-2">
                  <Status user={user} />
                </td>
                <td className="px-4 py-2">
                  <UserActions
                    userId={user.id}
                    name={user.name}
                    active={user.active}
                    isSelf={user.id === me.userId}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        <h2 className="text-lg font-semibold">Add a person</h2>
        <div className="mt-3 rounded-lg border border-slate-200 bg-white p-5">
          <CreateUserForm teams={teams} />
        </div>
      </div>
    </section>
  );
}
