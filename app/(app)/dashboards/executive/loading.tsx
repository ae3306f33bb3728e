// Inside this segment's layout, whose guard has then already answered 403 (see layout.tsx).
export { default } from "../_shared/dashboard-loading";
