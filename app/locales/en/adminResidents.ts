export default { title: 'adminResidents' } as const;
