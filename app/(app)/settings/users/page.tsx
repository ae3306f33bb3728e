import type { Metadata } from "next";
import { listTeams, listUsers } from "@/lib/users/queries";
import { CreateUserForm } from "./create-user-form";
import { RoleSelect } from "./role-select";

export const metadata: Metadata = { title: "Users and roles" };

export default async function UsersPage() {
  const [users, teams] = await Promise.all([listUsers(), listTeams()]);
  return (
    <section className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Users and roles</h1>
        <p className="mt-1 text-slate-600">
          Who can sign in, and what each person may do. A role change takes effect on their next
          page.
        </p>
      </div>
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
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
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => (
              <tr key={user.id}>
                <td className="px-4 py-2 font-medium">{user.name}</td>
                <td className="px-4 py-2 text-slate-600">{user.email}</td>
                <td className="px-4 py-2 text-slate-600">{user.teams.join(", ") || "—"}</td>
                <td className="px-4 py-2">
                  <RoleSelect userId={user.id} role={user.role} name={user.name} />
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
