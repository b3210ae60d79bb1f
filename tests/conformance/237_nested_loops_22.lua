-- 22 nested for loops: legal Lua (CPython itself allows only 20 nested blocks)
local c = 0
for i0 = 1, 2 - (0 % 2) do
 for i1 = 1, 2 - (1 % 2) do
  for i2 = 1, 2 - (2 % 2) do
   for i3 = 1, 2 - (3 % 2) do
    for i4 = 1, 2 - (4 % 2) do
     for i5 = 1, 2 - (5 % 2) do
      for i6 = 1, 2 - (6 % 2) do
       for i7 = 1, 2 - (7 % 2) do
        for i8 = 1, 2 - (8 % 2) do
         for i9 = 1, 2 - (9 % 2) do
          for i10 = 1, 2 - (10 % 2) do
           for i11 = 1, 2 - (11 % 2) do
            for i12 = 1, 2 - (12 % 2) do
             for i13 = 1, 2 - (13 % 2) do
              for i14 = 1, 2 - (14 % 2) do
               for i15 = 1, 2 - (15 % 2) do
                for i16 = 1, 2 - (16 % 2) do
                 for i17 = 1, 2 - (17 % 2) do
                  for i18 = 1, 2 - (18 % 2) do
                   for i19 = 1, 2 - (19 % 2) do
                    for i20 = 1, 2 - (20 % 2) do
                     for i21 = 1, 2 - (21 % 2) do
                      c = c + 1
                     end
                    end
                   end
                  end
                 end
                end
               end
              end
             end
            end
           end
          end
         end
        end
       end
      end
     end
    end
   end
  end
 end
end
print(c)
