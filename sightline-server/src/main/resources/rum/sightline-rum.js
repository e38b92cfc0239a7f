/* placeholder: the agent lands from branch rum-agent */ window.SightlineRum = window.SightlineRum || {};
