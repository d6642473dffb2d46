"use client";

import { useEffect, useState } from "react";

/**
 * A text input that reports its value after typing pauses. It follows `value` when that changes from
 * outside (e.g. "Clear filters"), but not when the change is its own report arriving back.
 */
export function DebouncedInput({
  value,
  onChange,
  delayMs = 300,
  ...rest
}: { value: string; onChange: (v: string) => void; delayMs?: number } & Omit<React.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange">) {
  const [text, setText] = useState(value);
  const [reported, setReported] = useState(value);
  if (value !== reported) {
    setReported(value);
    setText(value);
  }
  useEffect(() => {
    if (text === reported) return;
    const t = setTimeout(() => {
      setReported(text);
      onChange(text);
    }, delayMs);
    return () => clearTimeout(t);
  }, [text, reported, onChange, delayMs]);
  return <input {...rest} value={text} onChange={(e) => setText(e.target.value)} />;
}
