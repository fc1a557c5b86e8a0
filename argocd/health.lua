-- Argo CD health check for the Logto M2M operator's custom resources (m2m.logto.io).
-- One script for all five kinds (LogtoApiResource, LogtoRole, LogtoM2MApp, LogtoConnection,
-- ClusterLogtoConnection): it reads only the Ready condition and status.observedGeneration, which
-- the operator writes for each. argocd-cm needs it once per kind (argocd-cm-patch.yaml).
--   Healthy     Ready=True for the current generation
--   Degraded    Ready=False for a reason that needs a change in Git or Logto (InvalidSpec, Conflict,
--               Forbidden, Unauthorized: Logto refused a connection's credentials)
--   Progressing anything else: not yet seen by the operator, an older generation, waiting for a
--               dependency, Logto unavailable or unreachable (retried by the operator), Ready=Unknown
local hs = {}
local degradedReasons = { InvalidSpec = true, Conflict = true, Forbidden = true, Unauthorized = true }

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

local ready = nil
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" then
      ready = condition
    end
  end
end

local generation = obj.metadata and obj.metadata.generation
local observed = obj.status.observedGeneration
if observed == nil and ready ~= nil then
  observed = ready.observedGeneration
end
if ready == nil or observed == nil or (generation ~= nil and observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

local message = ready.message
if message == nil or message == "" then
  message = ready.reason or ""
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = message
elseif ready.status == "False" and degradedReasons[ready.reason] then
  hs.status = "Degraded"
  hs.message = message
else
  hs.status = "Progressing"
  hs.message = message
end
return hs
