"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, SignInThrottled } from "@/lib/auth";
import { describeWait } from "@/lib/auth/throttle";
import { signInSchema } from "@/lib/auth/credentials";
import { isFormArgument, UNREADABLE_FORM } from "@/app/_server/raw-args";

export interface SignInState {
  error?: string;
  fieldErrors?: { email?: string[]; password?: string[] };
  email?: string;
}

/** Only same-site paths may be returned to after sign-in. */
function safeReturnPath(value: FormDataEntryValue | null): string {
  const path = typeof value === "string" ? value : "";
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : "/";
}

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  if (!isFormArgument(formData)) return { error: UNREADABLE_FORM }; // junk arguments (issue #12)
  const email = String(formData.get("email") ?? "");
  const parsed = signInSchema.safeParse({ email, password: formData.get("password") ?? "" });
  if (!parsed.success) {
    const { fieldErrors } = (await import("zod")).z.flattenError(parsed.error);
    return { email, fieldErrors };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeReturnPath(formData.get("returnTo")),
    });
  } catch (error) {
    if (error instanceof AuthError) {
      if (error instanceof CredentialsSignin && error.code === "throttled") {
        // Says how long, never whether the account or the address was the reason.
        const seconds = error instanceof SignInThrottled ? error.retryAfterSeconds : 15 * 60;
        return {
          email,
          error: `Too many failed sign-ins. Try again in ${describeWait(seconds)}.`,
        };
      }
      return { email, error: "That email and password do not match an account." };
    }
    throw error; // the redirect after a successful sign-in
  }
  return {};
}
