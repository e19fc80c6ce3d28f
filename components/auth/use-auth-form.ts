"use client";

import { startTransition, useEffect, useState, type FormEvent, type RefObject } from "react";

/**
 * What the sign-in and sign-up forms share: the submit that keeps what was typed, hiding a field's
 * error once it is edited, and moving focus to what needs fixing.
 *
 * The form keeps `action={formAction}`, so a submit before hydration goes nowhere (React gives
 * such a form an action that throws) instead of a GET with the password in the URL. Once
 * hydrated, onSubmit dispatches the same action itself: a form action React runs is followed by
 * a reset of every field, which would wipe the name and email a person has to fix.
 */
export function useAuthForm<State extends { fieldErrors: Partial<Record<string, string>>; formError: string | null }>(
  formRef: RefObject<HTMLFormElement | null>,
  state: State,
  formAction: (formData: FormData) => void,
) {
  // Fields edited since the last submit: their old error no longer describes what is there.
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    setEdited(new Set());
    startTransition(() => formAction(formData));
  };

  const onInput = (event: FormEvent<HTMLFormElement>) => {
    const name = (event.target as HTMLInputElement).name;
    if (name && !edited.has(name)) setEdited((previous) => new Set(previous).add(name));
  };

  // After an answer, focus the first field that needs fixing, so its error is read out with it.
  // A problem with the whole form is announced by its alert; focus then stays where it was, unless
  // the form asked for a field (the password, after a wrong one).
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const invalid = form.querySelector<HTMLInputElement>('[aria-invalid="true"]');
    invalid?.focus();
  }, [formRef, state]);

  const errorOf = (field: string): string | undefined => (edited.has(field) ? undefined : state.fieldErrors[field]);

  return { onSubmit, onInput, errorOf };
}

/** Empties and focuses one field: a wrong password is typed again, not edited. */
export function clearField(form: HTMLFormElement | null, name: string) {
  const input = form?.elements.namedItem(name);
  if (input instanceof HTMLInputElement) {
    input.value = "";
    input.focus();
  }
}
